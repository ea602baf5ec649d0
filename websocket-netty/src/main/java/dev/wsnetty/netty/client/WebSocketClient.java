package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.HandshakeResponse;
import dev.wsnetty.WebSocketInterruptedException;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultAddressResolverGroup;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A WebSocket client: the original's {@code TWebsocketClient}. Set where to connect and what to send,
 * then {@link #connect()} to get the connection's {@link Communicator}, the same type server handlers
 * use. One client may open any number of connections, one per {@code connect} call, also from several
 * threads at once.
 *
 * <pre>{@code
 * WebSocketClient client = WebSocketClient.of("wss://example.com/chat?room=1");
 * client.customHeaders().put("Authorization", "Bearer " + token);
 * client.setOnHandshakeFailure((c, response) -> log(response.statusCode() + " " + response.body()));
 * Communicator communicator = client.connect();   // null if the server refused the upgrade
 * if (communicator != null) {
 *     communicator.writeStringMessage("hello");
 *     StringMessage answer = communicator.waitForStringMessage();
 *     communicator.close();
 * }
 * }</pre>
 *
 * <h2>Outcomes of a connection attempt</h2>
 * <ul>
 *   <li>The server upgrades: the {@linkplain #setOnHandshakeSuccess success listener} gets the 101 response
 *       and {@code connect} returns the communicator. The server's 101 is checked as RFC 6455 §4.1 says:
 *       status, {@code Upgrade: websocket} and a {@code Connection} with the {@code upgrade} token (both
 *       ignoring case), the exact {@code Sec-WebSocket-Accept}, no extension and no subprotocol that was
 *       not offered.</li>
 *   <li>The server answers but does not upgrade (403, 404, 426, ..., an invalid 101, or an answer cut short
 *       by closing after its status line): the {@linkplain #setOnHandshakeFailure failure listener} gets
 *       status, reason phrase, headers and body; then {@link #connect()} returns null, as the original
 *       does, and {@link #connectOrThrow()} throws a {@link WebSocketHandshakeRefusedException} carrying
 *       the same response.</li>
 *   <li>A redirect (301, 302, 303, 307, 308): by default a refusal as above, the response's status and
 *       {@code Location} and the exception's reason saying where it points. With
 *       {@link #setRedirectPolicy(RedirectPolicy)} the client follows it (see {@link RedirectPolicy}) and the
 *       outcome is that of the last server; a redirect it does not follow is a {@link WebSocketRedirectException}.
 *       </li>
 *   <li>No answer: both throw an {@link IOException} saying what happened and naming {@code host:port}:
 *       a {@link WebSocketConnectException} when the TCP connection cannot be made (refused, unknown host,
 *       {@linkplain #setConnectTimeout connect timeout}; the cause is the transport's exception; every address
 *       of the host is tried first), a {@link WebSocketProxyException} when the {@linkplain #setProxy proxy}
 *       cannot be reached or does not open the tunnel, a
 *       {@link WebSocketHandshakeTimeoutException} when the server does not answer within
 *       {@link WebSocketConfig#handshakeTimeout()}, and a {@link WebSocketHandshakeException} when it
 *       closes the connection before a status line, answers something that is not HTTP, or TLS fails.</li>
 * </ul>
 *
 * <h2>The connection</h2>
 * Frames the client sends are masked with keys from a strong random source; a masked frame from the
 * server, like any protocol violation, closes the connection with 1002. Pings are answered by the
 * transport. Limits and timeouts come from {@link #setConfig(WebSocketConfig)}, the communicator's write
 * timeout, inbound queue limits and listener executor from {@link #setCommunicatorConfig}.
 *
 * <h2>Threads</h2>
 * No thread is started per connection. Every client runs its connections on one shared Netty event loop
 * group, created on first use with one thread per available processor (epoll on Linux x86-64, NIO
 * elsewhere). Its threads are daemons named {@code wsnetty-client-*}: they never keep the JVM from exiting,
 * and {@link #shutdownSharedEventLoopGroup(Duration)} stops them for a clean shutdown (e.g. in a container
 * or a test); a later connection creates the group anew. An application with its own Netty group can pass
 * it with {@link #setEventLoopGroup(EventLoopGroup)}; it stays the application's to shut down.
 *
 * <h2>Configuration</h2>
 * The setters and {@link #customHeaders()} configure the next connections; connections already open are
 * not affected. Configure from one thread (the header map is not thread-safe), then connect from any
 * number of threads. Every setter checks its argument and says what is wrong.
 */
public final class WebSocketClient {
    private static final int WS_PORT = 80;
    private static final int WSS_PORT = 443;

    private final Map<String, String> customHeaders = new LinkedHashMap<>();
    private String host;
    private int port;
    private String path;
    private boolean secure;
    /** For wss connections of connect(); null: the default context. */
    private SslContext tlsContext;
    private List<String> subprotocols = List.of();
    private String origin;
    private CookieHandler cookieHandler;
    private WebSocketConfig config = WebSocketConfig.DEFAULT;
    private CommunicatorConfig communicatorConfig = CommunicatorConfig.DEFAULT;
    private Duration connectTimeout = ClientConnector.DEFAULT_CONNECT_TIMEOUT;
    private ClientProxySelector proxySelector = ClientProxySelector.direct();
    private AddressResolverGroup<InetSocketAddress> addressResolver = DefaultAddressResolverGroup.INSTANCE;
    private RedirectPolicy redirectPolicy = RedirectPolicy.NONE;
    private EventLoopGroup eventLoopGroup;
    private Class<? extends SocketChannel> channelType;
    private volatile HandshakeResponseListener onHandshakeSuccess;
    private volatile HandshakeResponseListener onHandshakeFailure;

    /** A client for {@code ws://host:80/}. */
    public WebSocketClient(String host) {
        this(host, WS_PORT, "/");
    }

    /** A client for {@code ws://host:port/}. */
    public WebSocketClient(String host, int port) {
        this(host, port, "/");
    }

    /**
     * A client for {@code ws://host:port/path}.
     *
     * @param host a host name, an IPv4 address, or an IPv6 address with or without brackets
     * @param port 1 to 65535
     * @param path the request target: a path starting with "/", optionally with "?query", in printable
     *             ASCII (percent-encode anything else); "" means "/"
     * @throws IllegalArgumentException if an argument is not valid (the message says which and why)
     */
    public WebSocketClient(String host, int port, String path) {
        setHost(host);
        setPort(port);
        setPath(path);
    }

    /**
     * A client for a {@code ws://} or {@code wss://} URI: host, port (default 80 for ws, 443 for wss), path
     * (default "/") with the query kept, and TLS for wss. Non-ASCII characters in path and query are
     * percent-encoded.
     *
     * @throws IllegalArgumentException if the scheme is not ws or wss, or the URI has no host, has user info
     *                                  or a fragment (the message says which)
     */
    public WebSocketClient(URI uri) {
        ClientHandshakeRequest request = ClientHandshakeRequest.fromUri(uri).build();
        this.host = request.host();
        this.port = request.port();
        this.path = request.path();
        this.secure = request.tls();
    }

    /**
     * A client for a {@code ws://} or {@code wss://} URI string, e.g. {@code "ws://localhost:8080/chat"}.
     *
     * @throws IllegalArgumentException if the string is not a valid URI, or as {@link #WebSocketClient(URI)}
     */
    public static WebSocketClient of(String uri) {
        return new WebSocketClient(URI.create(Objects.requireNonNull(uri, "uri")));
    }

    // ---------------------------------------------------------------- where to connect

    /** The host to connect to (IPv6 addresses without brackets). */
    public synchronized String getHost() {
        return host;
    }

    /**
     * Sets the host to connect to, which is also what the {@code Host} header names and, with TLS, what the
     * server's certificate is checked against and what goes out as SNI.
     *
     * @param host a host name, an IPv4 address, or an IPv6 address with or without brackets
     * @throws IllegalArgumentException if it is empty or has a character no host has
     */
    public synchronized void setHost(String host) {
        this.host = ClientHandshakeRequest.checkedHost(host);
    }

    /** The port to connect to. */
    public synchronized int getPort() {
        return port;
    }

    /**
     * Sets the port to connect to. It is left out of the {@code Host} header when it is the scheme's
     * default (80 for ws, 443 for wss).
     *
     * @param port 1 to 65535
     * @throws IllegalArgumentException if it is out of range
     */
    public synchronized void setPort(int port) {
        this.port = ClientHandshakeRequest.checkedPort(port);
    }

    /** The request target: path and query, starting with "/". */
    public synchronized String getPath() {
        return path;
    }

    /**
     * Sets the request target, sent as given.
     *
     * @param path a path starting with "/", optionally with "?query", in printable ASCII; "" means "/"
     * @throws IllegalArgumentException if it does not start with "/" or has a character that must be
     *                                  percent-encoded
     */
    public synchronized void setPath(String path) {
        this.path = ClientHandshakeRequest.checkedPath(path);
    }

    /** Whether {@link #connect()} uses TLS (wss): true for a {@code wss://} URI. */
    public synchronized boolean isSecure() {
        return secure;
    }

    /**
     * Sets whether {@link #connect()} uses TLS with the default client context: the system's trusted
     * certificates, hostname verification on, the host sent as SNI. The port is not changed.
     * {@link #connect(SslContext)} always uses TLS.
     */
    public synchronized void setSecure(boolean secure) {
        this.secure = secure;
    }

    /**
     * Sets the client TLS context of every wss connection {@link #connect()} opens: the first one for a
     * {@code wss://} URI, and one that a followed redirect leads to wss. With null (the default) they use
     * {@link ClientConnector#defaultTlsContext()}. {@link #connect(SslContext)} uses its own context instead.
     *
     * @param sslContext a client context, e.g. from {@code SslContextBuilder.forClient()}, or null
     * @throws IllegalArgumentException if {@code sslContext} is a server context
     */
    public synchronized void setTlsContext(SslContext sslContext) {
        if (sslContext != null && !sslContext.isClient()) {
            throw new IllegalArgumentException("sslContext is a server context; build one with "
                    + "SslContextBuilder.forClient()");
        }
        this.tlsContext = sslContext;
    }

    /** The TLS context of {@link #setTlsContext}, or null for the default one. */
    public synchronized SslContext getTlsContext() {
        return tlsContext;
    }

    /** The URI the next connection opens, e.g. {@code ws://example.com:8080/chat?room=1}. */
    public synchronized URI getUri() {
        return ClientHandshakeRequest.builder(host).port(port).path(path).tls(secure).build().uri();
    }

    // ---------------------------------------------------------------- what to send

    /**
     * The extra request headers (the original's {@code CustomHeaders}), in insertion order: each goes out
     * exactly as {@code "Name: value"}, after the handshake's own headers. Mutable; not thread-safe. A
     * {@code Host} entry replaces the generated {@code Host} header.
     *
     * <p>Checked when connecting: a name that is not an HTTP token, a value with a control or non-ASCII
     * character, or a header the handshake sets itself ({@code Upgrade}, {@code Connection},
     * {@code Sec-WebSocket-*}; use {@link #setSubprotocols} for subprotocols) makes {@code connect} throw
     * an {@link IllegalArgumentException} naming the header.
     */
    public Map<String, String> customHeaders() {
        return customHeaders;
    }

    /** The subprotocols offered, most preferred first; empty when none is. */
    public synchronized List<String> getSubprotocols() {
        return subprotocols;
    }

    /**
     * Sets the subprotocols to offer in {@code Sec-WebSocket-Protocol}, most preferred first (none by
     * default). The server's choice is in the success listener's response header
     * {@code Sec-WebSocket-Protocol}; a choice that was not offered fails the handshake.
     *
     * @throws IllegalArgumentException if one is not an HTTP token or appears twice
     */
    public synchronized void setSubprotocols(String... subprotocols) {
        this.subprotocols = ClientHandshakeRequest.checkedSubprotocols(Arrays.asList(subprotocols));
    }

    /** The {@code Origin} header sent (as browsers form it), or null when none is (the default, as in the original). */
    public synchronized String getOrigin() {
        return origin;
    }

    /**
     * Sets the {@code Origin} header, e.g. {@code "https://example.com"}, for servers that check it. It is sent as
     * browsers send it (RFC 6454 §6.2): the origin of the URI given, {@code scheme://host} with {@code :port} only
     * when it is not the scheme's default, scheme and host in lower case, no path, query or user info; so
     * {@code "https://Example.com:443/app/page.html"} is sent as {@code "https://example.com"}. {@code "null"}
     * (the opaque origin) is sent as it is.
     *
     * @param origin a URI with scheme and host, "null", or null to send none
     * @throws IllegalArgumentException if it is empty, has a control or non-ASCII character, or is neither
     *                                  "null" nor a URI with scheme and host
     */
    public synchronized void setOrigin(String origin) {
        this.origin = origin == null ? null : ClientHandshakeRequest.checkedOrigin(origin);
    }

    // ---------------------------------------------------------------- proxies and addresses

    /** Which proxy each connection goes through; {@link ClientProxySelector#direct()} by default. */
    public synchronized ClientProxySelector getProxySelector() {
        return proxySelector;
    }

    /**
     * Connects through {@code proxy} (an HTTP CONNECT or SOCKS5 proxy, with or without credentials), for ws and
     * wss alike; TLS runs inside the tunnel, end to end with the server. A proxy that cannot be reached or
     * refuses makes {@code connect} throw a {@link WebSocketProxyException} naming the proxy and, for a
     * refusal, its answer (e.g. {@code 407 Proxy Authentication Required}).
     *
     * @param proxy the proxy, or null to connect directly (the default)
     */
    public synchronized void setProxy(ClientProxy proxy) {
        this.proxySelector = proxy == null ? ClientProxySelector.direct() : ClientProxySelector.always(proxy);
    }

    /**
     * Picks the proxy per connection: e.g. {@link ClientProxySelector#systemProperties()} for the JVM's
     * {@code https.proxyHost}-style properties or {@link ClientProxySelector#of(java.net.ProxySelector)}. Neither
     * is used unless set here: by default every connection is direct.
     */
    public synchronized void setProxySelector(ClientProxySelector selector) {
        this.proxySelector = Objects.requireNonNull(selector, "selector");
    }

    /** How host names are resolved; {@link DefaultAddressResolverGroup#INSTANCE} by default. */
    public synchronized AddressResolverGroup<InetSocketAddress> getAddressResolver() {
        return addressResolver;
    }

    /**
     * Sets how host names are resolved (default {@link DefaultAddressResolverGroup}, the JDK's resolver). Every
     * address a name resolves to is tried in turn until one connects, so a dual-stack host whose first address
     * refuses or does not answer within the {@linkplain #setConnectTimeout connect timeout} is reached on the
     * next. Through a proxy, this resolves the proxy's name; the proxy resolves the server's.
     */
    public synchronized void setAddressResolver(AddressResolverGroup<InetSocketAddress> resolver) {
        this.addressResolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The cookie store the handshakes use, or null when they send and keep no cookies (the default). */
    public synchronized CookieHandler getCookieHandler() {
        return cookieHandler;
    }

    /**
     * Sends cookies from {@code handler} (e.g. a {@link java.net.CookieManager}, maybe shared with an HTTP client)
     * and keeps the server's: each handshake asks it for the cookies of the URI's {@code http}/{@code https}
     * counterpart ({@code ws://h/p} as {@code http://h/p}, {@code wss://} as {@code https://}, so {@code Secure}
     * cookies go only over wss) and sends them in one {@code Cookie} header (after the value of a custom
     * {@code Cookie} header, if there is one), and hands the {@code Set-Cookie} headers of the server's answer, a
     * 101 or a refusal, back to it before the listeners run. A handler that throws makes {@code connect} throw
     * an {@link java.io.UncheckedIOException}.
     *
     * @param handler the cookie store, or null for no cookies
     */
    public synchronized void setCookieHandler(CookieHandler handler) {
        this.cookieHandler = handler;
    }

    // ---------------------------------------------------------------- limits and timeouts

    /** The connection's limits and timeouts. */
    public synchronized WebSocketConfig getConfig() {
        return config;
    }

    /**
     * Sets the connection's limits and timeouts (default {@link WebSocketConfig#DEFAULT}): the handshake
     * timeout, frame and message size limits, close timeout, idle timeout and keep-alive pings, and the
     * largest response head accepted.
     */
    public synchronized void setConfig(WebSocketConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Sets how long the server may take to complete the opening handshake once the TCP connection is made
     * (TLS included); a shortcut for changing {@link WebSocketConfig#handshakeTimeout()} in the config.
     *
     * @param timeout positive, or {@link Duration#ZERO} for no limit
     */
    public synchronized void setHandshakeTimeout(Duration timeout) {
        this.config = config.toBuilder().handshakeTimeout(timeout).build();
    }

    /** How long the TCP connect may take. */
    public synchronized Duration getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * Sets how long the TCP connect may take (default {@link ClientConnector#DEFAULT_CONNECT_TIMEOUT},
     * 10 s); the handshake has its own timeout.
     *
     * @throws IllegalArgumentException if it is not positive or is 24 days or more
     */
    public synchronized void setConnectTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connect timeout must be positive and below 24 days, was " + timeout);
        }
        this.connectTimeout = timeout;
    }

    /** Whether and how far redirects of the upgrade request are followed. */
    public synchronized RedirectPolicy getRedirectPolicy() {
        return redirectPolicy;
    }

    /**
     * Sets whether redirects (301, 302, 303, 307, 308) of the upgrade request are followed (default
     * {@link RedirectPolicy#NONE}: a redirect is a refusal whose reason says where it points);
     * {@link RedirectPolicy#follow()} follows up to 5, never from wss to ws, dropping credentials for another origin.
     * The success listener then gets the final 101, the failure listener the final refusal; a redirect that is not
     * followed (a downgrade to ws, one too many, a bad {@code Location}) makes {@code connect} throw a
     * {@link WebSocketRedirectException} without telling the failure listener.
     */
    public synchronized void setRedirectPolicy(RedirectPolicy policy) {
        this.redirectPolicy = Objects.requireNonNull(policy, "policy");
    }

    /** The communicator's write timeout, inbound queue limits and listener executor. */
    public synchronized CommunicatorConfig getCommunicatorSettings() {
        return communicatorConfig;
    }

    /**
     * Sets the communicator's write timeout, inbound queue limits and listener executor (default
     * {@link CommunicatorConfig#DEFAULT}).
     */
    public synchronized void setCommunicatorConfig(CommunicatorConfig settings) {
        this.communicatorConfig = Objects.requireNonNull(settings, "settings");
    }

    // ---------------------------------------------------------------- threads

    /** The application's event loop group this client uses, or null when it uses the shared one. */
    public synchronized EventLoopGroup getEventLoopGroup() {
        return eventLoopGroup;
    }

    /**
     * Runs this client's connections on the application's own group instead of the shared one; the
     * socket channel type (epoll or NIO) is told by the group's I/O handler. The group stays the
     * application's to shut down.
     *
     * @param group an epoll or NIO event loop group, or null for the shared group
     * @throws IllegalArgumentException if the group is neither epoll nor NIO (use
     *                                  {@link #setEventLoopGroup(EventLoopGroup, Class)})
     */
    public synchronized void setEventLoopGroup(EventLoopGroup group) {
        setEventLoopGroup(group, group == null ? null : ClientEventLoops.channelTypeFor(group));
    }

    /**
     * Runs this client's connections on the application's own group with the given socket channel type.
     *
     * @param group       the group, or null for the shared group (then {@code channelType} is ignored)
     * @param channelType a socket channel class that fits the group
     */
    public synchronized void setEventLoopGroup(EventLoopGroup group, Class<? extends SocketChannel> channelType) {
        this.eventLoopGroup = group;
        this.channelType = group == null ? null : Objects.requireNonNull(channelType, "channelType");
    }

    /**
     * Shuts down the event loop group shared by all clients that have no group of their own, if it was
     * created, and waits for its threads to end. Connections still open on it are dropped without a closing
     * handshake, so close them first. Not needed for the JVM to exit (the threads are daemons); a connection
     * made afterwards creates a new group.
     *
     * @param timeout how long to wait for the threads to end
     * @return whether they ended within the time (true when there was no group)
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean shutdownSharedEventLoopGroup(Duration timeout) throws InterruptedException {
        return ClientEventLoops.shutdownShared(Objects.requireNonNull(timeout, "timeout"));
    }

    // ---------------------------------------------------------------- listeners

    /**
     * Sets the listener told about a successful upgrade (the original's {@code OnHandshakeSuccess}), with the
     * 101 response; see {@link HandshakeResponseListener} for the thread it runs on.
     *
     * @param listener the listener, or null for none
     */
    public void setOnHandshakeSuccess(HandshakeResponseListener listener) {
        this.onHandshakeSuccess = listener;
    }

    /**
     * Sets the listener told about a refused upgrade (the original's {@code OnHandshakeFailure}), with the
     * server's status, reason phrase, headers and body; see {@link HandshakeResponseListener} for the
     * thread it runs on. It is not called when there is no answer (connection errors, timeouts).
     *
     * @param listener the listener, or null for none
     */
    public void setOnHandshakeFailure(HandshakeResponseListener listener) {
        this.onHandshakeFailure = listener;
    }

    // ---------------------------------------------------------------- connecting

    /**
     * Opens a connection (with TLS if {@link #isSecure()}) and waits for the handshake.
     *
     * @return the connection's communicator, or null if the server refused the upgrade (the failure
     *         listener has then been told the status, headers and body)
     * @throws WebSocketConnectException       if the TCP connection could not be made
     * @throws WebSocketHandshakeException     if the server did not answer in time, closed before a status
     *                                         line, answered something that is not HTTP, or TLS failed
     * @throws IllegalArgumentException        if a custom header is not allowed
     * @throws WebSocketInterruptedException   if the thread was interrupted while waiting (the attempt is
     *                                         abandoned and the interrupt status set again)
     */
    public Communicator connect() throws IOException {
        return connect(prepare(null), false);
    }

    /**
     * Opens a TLS connection with the given client context (whatever the scheme; the port is not changed)
     * and waits for the handshake, as {@link #connect()} does. The host is what the certificate is checked
     * against (if the context verifies host names) and what goes out as SNI.
     *
     * @param sslContext a client context, e.g. from {@code SslContextBuilder.forClient()}
     * @return the connection's communicator, or null if the server refused the upgrade
     * @throws IllegalArgumentException if {@code sslContext} is a server context
     */
    public Communicator connect(SslContext sslContext) throws IOException {
        return connect(prepare(Objects.requireNonNull(sslContext, "sslContext")), false);
    }

    /**
     * As {@link #connect()}, but a refusal is an exception too, so the result is never null.
     *
     * @return the connection's communicator
     * @throws WebSocketHandshakeRefusedException if the server refused the upgrade; it carries the response
     *                                            (after the failure listener has been told)
     */
    public Communicator connectOrThrow() throws IOException {
        return connect(prepare(null), true);
    }

    /**
     * As {@link #connect(SslContext)}, but a refusal is an exception too, so the result is never null.
     *
     * @throws WebSocketHandshakeRefusedException if the server refused the upgrade
     */
    public Communicator connectOrThrow(SslContext sslContext) throws IOException {
        return connect(prepare(Objects.requireNonNull(sslContext, "sslContext")), true);
    }

    /**
     * Opens a connection (with TLS if {@link #isSecure()}) without blocking. The future completes with the
     * communicator, or exceptionally with the exceptions {@link #connectOrThrow()} throws. The listeners run
     * on the communicator settings' listener executor before it completes. Cancelling the future abandons
     * the attempt, or closes the connection if it was already open.
     */
    public CompletableFuture<Communicator> connectAsync() {
        return connectAsync(prepare(null));
    }

    /** As {@link #connectAsync()}, with TLS from the given client context. */
    public CompletableFuture<Communicator> connectAsync(SslContext sslContext) {
        return connectAsync(prepare(Objects.requireNonNull(sslContext, "sslContext")));
    }

    private Communicator connect(Attempt attempt, boolean throwOnRefusal) throws IOException {
        ClientHandshakeResult result;
        try {
            result = attempt.handshake().get();
        } catch (InterruptedException e) {
            attempt.abandon();
            Thread.currentThread().interrupt();
            throw new WebSocketInterruptedException("interrupted while connecting to " + attempt.request().uri(), e);
        } catch (ExecutionException e) {
            throw asIOException(e.getCause());
        }
        return attempt.finish(result, throwOnRefusal);
    }

    private CompletableFuture<Communicator> connectAsync(Attempt attempt) {
        CompletableFuture<Communicator> future = new CompletableFuture<>();
        attempt.handshake().whenCompleteAsync((result, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
                return;
            }
            try {
                Communicator communicator = attempt.finish(result, true);
                if (!future.complete(communicator)) {
                    attempt.abandon(); // cancelled meanwhile: nobody will ever use the connection
                }
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }, attempt.settings.listenerExecutor());
        future.whenComplete((communicator, error) -> {
            if (future.isCancelled()) {
                attempt.abandon();
            }
        });
        return future;
    }

    /** Snapshots the configuration and starts connecting. */
    private Attempt prepare(SslContext explicitTls) {
        ClientHandshakeRequest request;
        ClientConnector connector;
        CommunicatorConfig settings;
        CookieHandler cookieStore;
        RedirectPolicy redirects;
        synchronized (this) {
            boolean tls = explicitTls != null || secure;
            cookieStore = cookieHandler;
            request = request(tls);
            EventLoopGroup group = eventLoopGroup != null ? eventLoopGroup : ClientEventLoops.shared();
            Class<? extends SocketChannel> type =
                    eventLoopGroup != null ? channelType : ClientEventLoops.channelTypeFor(group);
            connector = new ClientConnector(group, type, explicitTls != null ? explicitTls : tlsContext,
                    connectTimeout)
                    .withProxySelector(proxySelector).withAddressResolver(addressResolver);
            settings = communicatorConfig;
            redirects = redirectPolicy;
        }
        return new Attempt(request, connector, settings, redirects, cookieStore);
    }

    private synchronized ClientHandshakeRequest request(boolean tls) {
        ClientHandshakeRequest.Builder b = ClientHandshakeRequest.builder(host).port(port).path(path).tls(tls)
                .subprotocols(subprotocols).config(config);
        if (origin != null) {
            b.origin(origin);
        }
        customHeaders.forEach(b::header);
        return b.build();
    }

    private static IOException asIOException(Throwable cause) {
        if (cause instanceof IOException) {
            return (IOException) cause;
        }
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new IOException(cause);
    }

    @Override
    public String toString() {
        return "WebSocketClient[" + getUri() + "]";
    }

    /**
     * One connection attempt: the connections opening (more than one when redirects are followed), and the
     * communicator once upgraded.
     */
    private final class Attempt {
        final CommunicatorConfig settings;
        final RedirectFollower connection;
        /** The cookie store the answer's cookies go to, or null without one. */
        final CookieHandler cookieStore;
        /** Set on the event loop by the upgrade hook, before the handshake future completes. */
        private final AtomicReference<Communicator> communicator = new AtomicReference<>();

        Attempt(ClientHandshakeRequest request, ClientConnector connector, CommunicatorConfig settings,
                RedirectPolicy redirects, CookieHandler cookieStore) {
            this.settings = settings;
            this.cookieStore = cookieStore;
            // Each hop asks the cookie store for its own server and path (a hop may go elsewhere).
            this.connection = new RedirectFollower(redirects, hop -> connector.connect(
                    cookieStore == null ? hop : new HandshakeCookies(cookieStore, hop).addTo(hop),
                    pipeline -> communicator.set(NettyCommunicators.attach(pipeline.channel(), settings,
                            pipeline.get(ClientHandshakeHandler.class).selectedSubprotocol()))), request);
        }

        CompletableFuture<ClientHandshakeResult> handshake() {
            return connection.handshake();
        }

        /** The request of the latest hop. */
        ClientHandshakeRequest request() {
            return connection.request();
        }

        /** Tells the listener, then hands out the communicator, null, or the refusal as an exception. */
        Communicator finish(ClientHandshakeResult result, boolean throwOnRefusal)
                throws WebSocketHandshakeRefusedException {
            HandshakeResponse response = result.response();
            if (cookieStore != null) {
                ClientHandshakeRequest answered = request(); // after redirects, cookies belong to the last server
                try {
                    new HandshakeCookies(cookieStore, answered).store(response.headers());
                } catch (RuntimeException e) {
                    abandon();
                    throw e;
                }
            }
            if (result.success()) {
                try {
                    notify(onHandshakeSuccess, response);
                } catch (RuntimeException | Error e) {
                    abandon();
                    throw e;
                }
                return communicator.get();
            }
            notify(onHandshakeFailure, response);
            if (throwOnRefusal) {
                throw new WebSocketHandshakeRefusedException(request().hostAndPort(), response,
                        result.failureReason().orElseThrow());
            }
            return null;
        }

        private void notify(HandshakeResponseListener listener, HandshakeResponse response) {
            if (listener != null) {
                listener.onHandshakeResponse(WebSocketClient.this, response);
            }
        }

        /** Drops the connection, whatever state it is in. */
        void abandon() {
            connection.abandon();
        }
    }
}
