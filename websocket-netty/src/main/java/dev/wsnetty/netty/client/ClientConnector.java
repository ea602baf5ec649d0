package dev.wsnetty.netty.client;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import dev.wsnetty.netty.tls.ClientTlsContexts;
import dev.wsnetty.netty.tls.TlsConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultAddressResolverGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Opens client WebSocket connections on an event loop group: connects TCP (directly, or through the proxy
 * {@link #withProxySelector its selector} picks), adds TLS for wss, runs the opening handshake with a
 * {@link ClientHandshakeHandler}. One connector serves any number of connections, all sharing the group's
 * threads. A host with several addresses (IPv4 and IPv6, say) is tried address by address until one connects,
 * each with the whole connect timeout.
 *
 * <p>The pipeline is {@link WebSocketPipeline}'s client pipeline: the proxy handler through a proxy, TLS for wss
 * (with SNI and hostname verification for the request's host), the HTTP codec and the handshake handler; afterwards
 * the proxy handler (passing bytes through), TLS, the frame handlers, then whatever {@code onOpen} added.
 */
public final class ClientConnector {
    /** How long the TCP connect may take unless told otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static SslContext defaultTlsContext;

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Duration connectTimeout;
    private final SslContext sslContext;
    private final ClientProxySelector proxies;
    private final AddressResolverGroup<InetSocketAddress> resolvers;

    /**
     * A connector.
     *
     * @param sslContext     the client TLS context for wss, or null for {@link #defaultTlsContext()}
     * @param connectTimeout how long the TCP connect may take (positive); the handshake has its own timeout
     */
    public ClientConnector(EventLoopGroup group, Class<? extends SocketChannel> channelType, SslContext sslContext,
                           Duration connectTimeout) {
        this.group = Objects.requireNonNull(group, "group");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout must be positive and below 24 days, was " + connectTimeout);
        }
        if (sslContext != null && !sslContext.isClient()) {
            throw new IllegalArgumentException("sslContext is a server context; build one with SslContextBuilder.forClient()");
        }
        this.sslContext = sslContext;
        this.connectTimeout = connectTimeout;
        this.proxies = ClientProxySelector.direct();
        this.resolvers = DefaultAddressResolverGroup.INSTANCE;
    }

    private ClientConnector(ClientConnector base, ClientProxySelector proxies,
                            AddressResolverGroup<InetSocketAddress> resolvers) {
        this.group = base.group;
        this.channelType = base.channelType;
        this.connectTimeout = base.connectTimeout;
        this.sslContext = base.sslContext;
        this.proxies = proxies;
        this.resolvers = resolvers;
    }

    /**
     * This connector with connections through the proxy {@code proxies} picks for each request (by default every
     * connection is direct; see {@link ClientProxySelector} for the choices). Through a proxy the handshake
     * timeout includes opening the tunnel, and a proxy's failure is a {@link WebSocketProxyException}.
     */
    public ClientConnector withProxySelector(ClientProxySelector proxies) {
        return new ClientConnector(this, Objects.requireNonNull(proxies, "proxies"), resolvers);
    }

    /**
     * This connector with host names resolved by {@code resolvers} (by default
     * {@link DefaultAddressResolverGroup}: the JDK's {@code InetAddress.getAllByName} on the event loop), e.g.
     * Netty's asynchronous DNS resolver. Every address it gives is tried in its order.
     */
    public ClientConnector withAddressResolver(AddressResolverGroup<InetSocketAddress> resolvers) {
        return new ClientConnector(this, proxies, Objects.requireNonNull(resolvers, "resolvers"));
    }

    /** A connector with the default TLS context and {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public ClientConnector(EventLoopGroup group, Class<? extends SocketChannel> channelType) {
        this(group, channelType, null, DEFAULT_CONNECT_TIMEOUT);
    }

    /** Opens a connection whose frames nobody consumes yet; see {@link #connect(ClientHandshakeRequest, Consumer)}. */
    public ClientConnection connect(ClientHandshakeRequest request) {
        return connect(request, pipeline -> { });
    }

    /**
     * Starts opening a connection. Never blocks and never throws for network problems: they complete the
     * handshake future exceptionally with a {@link WebSocketConnectException} naming {@code host:port}
     * (refused, unknown host, connect timeout; with several addresses, what each one did), a
     * {@link WebSocketProxyException} naming the proxy, or a {@link WebSocketHandshakeException}. The proxy
     * selector is asked on the calling thread.
     *
     * @param onOpen runs on the event loop after a successful upgrade, before the first frame is
     *                  decoded: add the application's handlers to the pipeline there. The agreed
     *                  subprotocol is {@code pipeline.get(ClientHandshakeHandler.class).selectedSubprotocol()}
     * @throws IllegalStateException if no TLS context was given for a wss request and the default one
     *                               cannot be built (a broken JDK or OpenSSL setup)
     */
    public ClientConnection connect(ClientHandshakeRequest request, Consumer<ChannelPipeline> onOpen) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onOpen, "onOpen");
        SslContext tls = request.tls() ? tlsContext() : null;
        ClientProxy proxy = proxies.select(request.uri()).orElse(null);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        return new AddressAttempts(bootstrap, request, proxy, resolvers, (pipeline, handshake) -> {
            pipeline.channel().attr(WebSocketStatistics.KEY).set(WebSocketStatistics.allClients());
            if (tls != null) {
                // The host name goes out as SNI and is what the certificate is checked against.
                SslHandler ssl = tls.newHandler(pipeline.channel().alloc(), request.host(), request.port());
                // The TLS handshake gets the whole handshake time, so its own timeout reports a
                // silent server (the handshake handler's timer would fire just after it).
                ssl.setHandshakeTimeoutMillis(request.config().handshakeTimeout().toMillis());
                WebSocketPipeline.addClientTls(pipeline, ssl);
            }
            WebSocketPipeline.addClientHandshake(pipeline, request.config(),
                    new ClientHandshakeHandler(request, handshake, onOpen));
        }).start();
    }

    private SslContext tlsContext() {
        return sslContext != null ? sslContext : defaultTlsContext();
    }

    /**
     * The client TLS context used when none is given, built on first use and shared by every connector:
     * {@link ClientTlsContexts#systemTrust} with {@link TlsConfig#DEFAULT}: the system's trusted certificate
     * authorities, hostname verification on ({@code HTTPS} endpoint identification), TLS 1.3 and 1.2, ALPN
     * {@code http/1.1}, OpenSSL when it loads and the JDK otherwise; each connection's handler sends the host name
     * as SNI.
     *
     * @throws IllegalStateException if it cannot be built (a broken JDK or OpenSSL setup)
     */
    public static SslContext defaultTlsContext() {
        synchronized (ClientConnector.class) {
            if (defaultTlsContext == null) {
                try {
                    defaultTlsContext = ClientTlsContexts.systemTrust(TlsConfig.DEFAULT);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot build the default client TLS context: " + e.getMessage(),
                            e);
                }
            }
            return defaultTlsContext;
        }
    }
}
