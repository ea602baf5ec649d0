package dev.wsnetty.netty.client;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import dev.wsnetty.netty.tls.ClientTlsContexts;
import dev.wsnetty.netty.tls.TlsConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Opens client WebSocket connections on an event loop group: connects TCP, adds TLS for wss, runs the
 * opening handshake with a {@link ClientHandshakeHandler}. One connector serves any number of
 * connections, all sharing the group's threads.
 *
 * <p>The pipeline is {@link WebSocketPipeline}'s client pipeline: TLS for wss (with SNI and hostname verification
 * for the request's host), the HTTP codec and the handshake handler; afterwards TLS, the frame handlers, then
 * whatever {@code onOpen} added.
 */
public final class ClientConnector {
    /** How long the TCP connect may take unless told otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static SslContext defaultTlsContext;

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Duration connectTimeout;
    private final SslContext sslContext;

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
     * (refused, unknown host, connect timeout) or a {@link WebSocketHandshakeException}.
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
        CompletableFuture<ClientHandshakeResult> handshake = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.attr(WebSocketStatistics.KEY).set(WebSocketStatistics.allClients());
                        if (tls != null) {
                            // The host name goes out as SNI and is what the certificate is checked against.
                            SslHandler ssl = tls.newHandler(ch.alloc(), request.host(), request.port());
                            // The TLS handshake gets the whole handshake time, so its own timeout reports a
                            // silent server (the handshake handler's timer would fire just after it).
                            ssl.setHandshakeTimeoutMillis(request.config().handshakeTimeout().toMillis());
                            WebSocketPipeline.addClientTls(ch.pipeline(), ssl);
                        }
                        WebSocketPipeline.addClientHandshake(ch.pipeline(), request.config(),
                                new ClientHandshakeHandler(request, handshake, onOpen));
                    }
                });
        ChannelFuture connected = bootstrap.connect(request.host(), request.port());
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
                handshake.completeExceptionally(new WebSocketConnectException("cannot connect to "
                        + request.hostAndPort() + ": " + why, cause));
            }
        });
        return new ClientConnection(connected.channel(), handshake);
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
