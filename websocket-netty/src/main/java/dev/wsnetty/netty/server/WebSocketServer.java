package dev.wsnetty.netty.server;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.RateLimitedLog;
import dev.wsnetty.internal.SharedExecutors;
import dev.wsnetty.internal.VirtualThreads;
import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.internal.IoType;
import dev.wsnetty.netty.internal.ServerLog;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import dev.wsnetty.netty.tls.TlsServerConfig;
import dev.wsnetty.netty.topics.ChannelTopics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A WebSocket server (the original's {@code TWebSocketServer}): listens on a port, routes each handshake by host
 * and path to a registered {@link WebSocketHandler}, and gives every connection a blocking
 * {@link dev.wsnetty.Communicator} on top of Netty's event loops.
 *
 * <pre>{@code
 * WebSocketServer server = new WebSocketServer(8080);
 * server.registerHandler("*", "*", new ChatHandler(), true, true);
 * server.start(); // blocks until stop()
 * }</pre>
 *
 * <h2>Threads</h2>
 * The event loops (epoll on Linux, NIO elsewhere) do all socket work and never run handler code that may block.
 * A handler's {@code accept} runs where the {@link AcceptingMethod} says. After the upgrade:
 * <ul>
 *   <li>a {@link ThreadedWebSocketHandler} is called on the event loop and hands the connection to its own
 *       thread at once (a virtual thread on Java 21+);</li>
 *   <li>any other {@link WebSocketHandler} has its {@code handleCommunication}, which runs the connection's whole
 *       lifecycle, called on a <em>connection thread</em> of its own: a virtual thread on Java 21+, else a
 *       pooled daemon platform thread. The original ran it on the accepting thread, so with its default
 *       accepting method a plain handler served one client at a time; here plain handlers serve any number of
 *       clients at once, whatever the accepting method.</li>
 * </ul>
 * Listeners ({@code onReceiveMessage}, {@code onClose}) run on the communicator's listener executor, never on an
 * event loop.
 * The handler's thread is reserved before the 101 is sent: on Java 17-20, where each connection holds a platform
 * thread, a handshake beyond {@link ServerConfig#maxPlatformHandlerThreads()} or one for which no thread can be
 * created is answered with 503 and {@code Retry-After} instead.
 *
 * <h2>Protections</h2>
 * {@link #setServerConfig(ServerConfig)} holds the server-wide settings for a server that strangers can reach:
 * allowed origins (same origin by default; a foreign page gets 403), the bound on platform handler threads,
 * rate-limited logs, the accept back-off when out of file descriptors, and an optional limit of connections per
 * address. {@link ServerConfig} lists the defaults and why.
 *
 * <h2>TLS (wss)</h2>
 * Give a server context ({@link dev.wsnetty.netty.tls.ServerTlsContexts}: PEM files, a keystore, or a self-signed
 * certificate for development) or a {@link TlsServerConfig} with a certificate per host name (SNI) to the
 * constructor. OpenSSL is used when it loads, the JDK's TLS otherwise (see {@link dev.wsnetty.netty.tls.TlsProvider}).
 *
 * <h2>Lifecycle</h2>
 * Configure with the setters, register handlers (also allowed while running), then {@link #start()} (blocks) or
 * {@link #bind()} (returns once listening). {@link #stop(Duration)} closes every connection with 1001, waits for
 * the closing handshakes up to a grace period, closes the owned handlers, and frees the server's threads;
 * {@link #stopOnShutdown(Duration)} runs it when the JVM is told to end (SIGTERM). A server runs once; create a new
 * one to listen again.
 */
public final class WebSocketServer implements AutoCloseable {
    private static final Log LOG = Log.of(WebSocketServer.class);
    private static final String STOP_REASON = "Server shutting down";

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final String host;
    private final int port;
    private final TlsServerConfig tls;
    private final HandlerRouter<HandlerEndpoint> router = new HandlerRouter<>();
    private final LiveConnections connections = new LiveConnections();
    private final ChannelTopics topics = new ChannelTopics();
    private final WebSocketStatistics statistics = new WebSocketStatistics();
    private final HandlerEndpoint.ServerRuntime runtime = new EndpointRuntime();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile boolean ownsHandlers = true;
    private volatile AcceptingMethod acceptingMethod = AcceptingMethod.DEFAULT;
    private volatile WebSocketConfig config = WebSocketConfig.DEFAULT;
    private volatile CommunicatorConfig communicatorConfig = CommunicatorConfig.DEFAULT;
    private volatile ServerConfig serverConfig = ServerConfig.DEFAULT;
    private volatile InboundMemoryBudget inboundMemoryBudget = InboundMemoryBudget.shared();
    private volatile Supplier<? extends ChannelHandler> httpHandler;
    private volatile int eventLoopThreads;

    // Guarded by this.
    private State state = State.NEW;
    private EventLoopGroup group;
    private Channel serverChannel;
    private ThreadPoolExecutor acceptPool;
    /** Set by bind() from the server configuration, before any connection; null before. */
    private volatile HandlerThreadSlots handlerThreadSlots;
    /** Virtual handler threads carried by this server's event loops, if {@code handlerThreadsOnEventLoop}. */
    private final EventLoopHandlerThreads eventLoopHandlerThreads = new EventLoopHandlerThreads();
    private volatile RateLimitedLog log;
    /** The hook of {@link #stopOnShutdown}, null when none is registered. */
    private Thread shutdownHook;

    /**
     * A server on every local address.
     *
     * @param port the port, 0 for any free one (see {@link #port()} once bound)
     */
    public WebSocketServer(int port) {
        this(null, port, (TlsServerConfig) null);
    }

    /**
     * A server on one local address.
     *
     * @param host the host name or address to listen on; null for every local address
     * @param port the port, 0 for any free one
     */
    public WebSocketServer(String host, int port) {
        this(host, port, (TlsServerConfig) null);
    }

    /**
     * A server on one local address, speaking TLS (wss) when {@code sslContext} is given: an {@code SslHandler}
     * made from it comes first in every connection's pipeline (see {@link WebSocketPipeline#addServerTls}).
     *
     * @param host       the host name or address to listen on; null for every local address
     * @param port       the port, 0 for any free one
     * @param sslContext a server TLS context (from {@link dev.wsnetty.netty.tls.ServerTlsContexts} or
     *                   {@code SslContextBuilder.forServer(...)}), or null for plain ws
     */
    public WebSocketServer(String host, int port, SslContext sslContext) {
        this(host, port, sslContext == null ? null : TlsServerConfig.of(sslContext));
    }

    /**
     * A server on one local address, speaking TLS (wss) when {@code tls} is given, with a certificate per host
     * name if it has several (SNI). The TLS handshake must finish within the configured
     * {@link WebSocketConfig#handshakeTimeout()}; a failed one is logged in one line and closes the connection, and
     * a plain-text client gets {@code 400 TLS Required}.
     *
     * @param host the host name or address to listen on; null for every local address
     * @param port the port, 0 for any free one
     * @param tls  the TLS contexts, or null for plain ws
     */
    public WebSocketServer(String host, int port, TlsServerConfig tls) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        this.host = host;
        this.port = port;
        this.tls = tls;
        // A server that never calls publishToAll pays nothing for it per connection.
        topics.deferRegistration(connections::upgradedChannels);
        statistics.measureTopics(topics::subscriptionCount, topics::droppedMessages);
    }

    // ---------------------------------------------------------------- handlers

    /**
     * Registers {@code handler} for an exact host and path, with the original's routing: the {@code Host}
     * header is matched exactly (port included), the request target exactly (query included); an unknown host
     * falls to the default host, an unknown path to that host's default path. {@code ("*", "*", h, true, true)}
     * catches every request. May be called while the server runs.
     *
     * <p>Registering another handler under the same host and path replaces the old one, which is not closed
     * (the original freed it even when it did not own its handlers).
     *
     * @param host        the {@code Host} header to match, port included, e.g. {@code localhost:8080}
     * @param path        the request target to match, query included, e.g. {@code /chat}
     * @param handler     the handler
     * @param defaultHost make {@code host} the one used for requests to hosts that are not registered
     * @param defaultPath make {@code path} the one used, within {@code host}, for paths that are not registered
     */
    public void registerHandler(String host, String path, WebSocketHandler handler, boolean defaultHost,
                                boolean defaultPath) {
        Objects.requireNonNull(handler, "handler");
        router.register(host, path, new HandlerEndpoint(handler, runtime), defaultHost, defaultPath);
    }

    /** {@link #registerHandler(String, String, WebSocketHandler, boolean, boolean)} with neither default. */
    public void registerHandler(String host, String path, WebSocketHandler handler) {
        registerHandler(host, path, handler, false, false);
    }

    /**
     * Whether the server owns its handlers (the original's {@code FreeHandlers}, default true): owned handlers are
     * closed ({@link WebSocketHandler#close()}) once when the server stops, even when registered under several
     * routes. Only the handlers registered at that moment are closed, not those replaced earlier.
     *
     * @param owns whether to close the registered handlers on {@link #stop()}
     */
    public void setOwnsHandlers(boolean owns) {
        this.ownsHandlers = owns;
    }

    /** Whether the registered handlers are closed when the server stops. */
    public boolean ownsHandlers() {
        return ownsHandlers;
    }

    // ---------------------------------------------------------------- configuration (before bind)

    /**
     * Sets where handlers' {@code accept} runs (default {@link AcceptingMethod#DEFAULT}: the event loop).
     *
     * @throws IllegalStateException once the server was started
     */
    public void setAcceptingMethod(AcceptingMethod method) {
        Objects.requireNonNull(method, "method");
        synchronized (this) {
            ensureNew("the accepting method");
            this.acceptingMethod = method;
        }
    }

    /** Where handlers' {@code accept} runs. */
    public AcceptingMethod acceptingMethod() {
        return acceptingMethod;
    }

    /**
     * Sets the limits and timeouts of the handshake and of every connection (default {@link WebSocketConfig#DEFAULT}).
     *
     * @throws IllegalStateException once the server was started
     */
    public void setConfig(WebSocketConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (this) {
            ensureNew("the configuration");
            this.config = config;
        }
    }

    /** The limits and timeouts. */
    public WebSocketConfig config() {
        return config;
    }

    /**
     * Sets the communicators' write timeout, inbound queue limits and listener executor (default
     * {@link CommunicatorConfig#DEFAULT}).
     *
     * @throws IllegalStateException once the server was started
     */
    public void setCommunicatorConfig(CommunicatorConfig settings) {
        Objects.requireNonNull(settings, "settings");
        synchronized (this) {
            ensureNew("the communicator settings");
            this.communicatorConfig = settings;
        }
    }

    /** The communicators' settings. */
    public CommunicatorConfig communicatorConfig() {
        return communicatorConfig;
    }

    /**
     * Sets the server-wide protections: allowed origins, the bound on platform handler threads, how often repeated
     * warnings are logged, the accept back-off and the per-address connection limit (default
     * {@link ServerConfig#DEFAULT}, whose class description lists the values and why).
     *
     * @throws IllegalStateException once the server was started
     */
    public void setServerConfig(ServerConfig settings) {
        Objects.requireNonNull(settings, "settings");
        synchronized (this) {
            ensureNew("the server configuration");
            this.serverConfig = settings;
        }
    }

    /** The server-wide protections. */
    public ServerConfig serverConfig() {
        return serverConfig;
    }

    /**
     * Sets the inbound memory budget all connections of this server share: what they buffer of partial frames,
     * messages being assembled and messages queued for handlers (default {@link InboundMemoryBudget#shared()}, the
     * JVM-wide budget of {@link InboundMemoryBudget#defaultLimit()}, a quarter of the JVM's direct memory or heap,
     * whichever is smaller). Near it, the connections holding the most stop reading; past it, the largest holders
     * are closed with 1013.
     *
     * @param budget a budget, possibly shared with other servers
     * @throws IllegalStateException once the server was started
     */
    public void setInboundMemoryBudget(InboundMemoryBudget budget) {
        Objects.requireNonNull(budget, "budget");
        synchronized (this) {
            ensureNew("the inbound memory budget");
            this.inboundMemoryBudget = budget;
        }
    }

    /** The inbound memory budget of this server's connections. */
    public InboundMemoryBudget inboundMemoryBudget() {
        return inboundMemoryBudget;
    }

    /**
     * Serves plain HTTP on the same port: requests that are not WebSocket handshakes go to a new handler from
     * {@code supplier}, added after the handshake handler of each connection, which receives Netty's
     * {@code HttpRequest} and {@code HttpContent} objects and writes {@code HttpResponse}s. Without one (the
     * default) they get 400. The examples serve their chat page this way.
     *
     * @param supplier a new handler per connection, or null for none
     * @throws IllegalStateException once the server was started
     */
    public void setHttpHandler(Supplier<? extends ChannelHandler> supplier) {
        synchronized (this) {
            ensureNew("the HTTP handler");
            this.httpHandler = supplier;
        }
    }

    /**
     * Sets the number of event loop threads (default 0: Netty's default, twice the processors). One thread
     * accepts and serves every connection well up to tens of thousands of mostly idle connections.
     *
     * @param threads at least 0
     * @throws IllegalStateException once the server was started
     */
    public void setEventLoopThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be at least 0, was " + threads);
        }
        synchronized (this) {
            ensureNew("the number of event loop threads");
            this.eventLoopThreads = threads;
        }
    }

    // ---------------------------------------------------------------- running

    /**
     * Starts listening (unless {@link #bind()} already did) and blocks until {@link #stop()} (the original's
     * {@code Start}). If the calling thread is interrupted while it waits, the server is stopped and the interrupt
     * status kept.
     *
     * @throws UncheckedIOException  if the address cannot be bound
     * @throws IllegalStateException if the server was stopped before
     */
    public void start() {
        synchronized (this) {
            if (state == State.NEW) {
                bind();
            } else if (state != State.RUNNING) {
                throw new IllegalStateException("cannot start: the server was already stopped; a server runs once");
            }
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    /**
     * Starts listening and returns once the socket is bound; {@link #port()} then tells the real port.
     *
     * @throws UncheckedIOException  if the address cannot be bound (e.g. the port is in use)
     * @throws IllegalStateException if the server was started or stopped before
     */
    public synchronized void bind() {
        ensureNew("bind");
        ServerConfig protections = serverConfig;
        handlerThreadSlots = new HandlerThreadSlots(protections.maxPlatformHandlerThreads(),
                !VirtualThreads.isAvailable());
        RateLimitedLog serverLog = new RateLimitedLog(protections.logInterval(), System::nanoTime);
        log = serverLog;
        IoType io = IoType.best();
        EventLoopGroup loops = io.newGroup(eventLoopThreads, "wsnetty-server");
        ThreadPoolExecutor pool = acceptingMethod == AcceptingMethod.THREAD_POOL ? newAcceptPool() : null;
        ServerHandshakeConfig settings = ServerHandshakeConfig.builder(router)
                .config(config)
                .acceptExecutor(acceptExecutor(pool))
                .httpFallback(httpHandler != null)
                .build();
        Supplier<? extends ChannelHandler> http = httpHandler;
        Duration tlsHandshakeTimeout = config.handshakeTimeout();
        ConnectionsPerAddress perAddress = protections.maxConnectionsPerAddress() == 0 ? null
                : new ConnectionsPerAddress(protections.maxConnectionsPerAddress());
        // The shared budget is what a channel without one uses: no attribute (24 bytes per connection) for it.
        InboundMemoryBudget ownBudget = inboundMemoryBudget == InboundMemoryBudget.shared() ? null
                : inboundMemoryBudget;
        statistics.measureInboundMemory(inboundMemoryBudget::used);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(io.serverChannelType())
                // On the server channel only: its connections find it through their parent, no attribute each.
                .attr(WebSocketStatistics.KEY, statistics)
                // A restarted server can bind while old connections are in TIME_WAIT (the original could not).
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .handler(new AcceptFailureHandler(protections.acceptBackoff(), serverLog))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (perAddress != null && !perAddress.admit(ch)) {
                            refuseOverAddressLimit(ch, perAddress.max(), serverLog);
                            return;
                        }
                        connections.accepted(ch);
                        if (ownBudget != null) {
                            WebSocketPipeline.useInboundMemoryBudget(ch.pipeline(), ownBudget);
                        }
                        if (tls != null) {
                            // Only the TLS handlers log through the channel: no attribute on other channels.
                            ch.attr(ServerLog.KEY).set(serverLog);
                            WebSocketPipeline.addServerTls(ch.pipeline(), tls, tlsHandshakeTimeout);
                        }
                        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(),
                                new ServerHandshakeHandler(settings));
                        if (http != null) {
                            WebSocketPipeline.addHttpApplication(ch.pipeline(), http.get());
                        }
                    }
                });
        InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            handlerThreadSlots.close();
            if (pool != null) {
                pool.shutdown();
            }
            Throwable cause = bound.cause();
            String why = "cannot listen on " + describe(address) + ": " + cause.getMessage();
            throw new UncheckedIOException(why, cause instanceof IOException ? (IOException) cause
                    : new IOException(cause));
        }
        group = loops;
        acceptPool = pool;
        serverChannel = bound.channel();
        state = State.RUNNING;
        LOG.log(Log.Level.DEBUG, () -> "WebSocket server listening on " + serverChannel.localAddress()
                + " (" + io + ")");
    }

    /**
     * Stops the server (the original's {@code Stop}) with the configured close timeout
     * ({@link WebSocketConfig#closeTimeout()}, 5 s by default) as the grace period: {@link #stop(Duration)}.
     */
    public void stop() {
        stop(config.closeTimeout());
    }

    /**
     * Stops the server: stops accepting, closes the owned handlers, sends every connection a Close 1001 (Going
     * Away) "Server shutting down" (connections still in the handshake or serving plain HTTP are closed at once),
     * waits for the peers' Close frames for at most {@code grace}, closes TCP of what is left, shuts the event loops
     * and the accept pool down, and makes {@link #start()} return. Handler threads are not waited for: a handler
     * that never returns cannot hold the stop beyond {@code grace} (plus about a second for the event loops to
     * end); its communicator is closed and its thread is a daemon.
     *
     * <p>Callable from any thread, also from a handler's thread; does nothing after the first call (a second
     * concurrent call waits for the first to finish). Called on one of this server's event loops, it stops the
     * server from another thread and returns at once, since it cannot wait for itself.
     *
     * @param grace how long connections get to finish their closing handshake, at least 0
     */
    public void stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        synchronized (this) {
            switch (state) {
                case NEW:
                    state = State.STOPPED;
                    removeShutdownHook();
                    closeOwnedHandlers();
                    stopped.countDown();
                    return;
                case RUNNING:
                    state = State.STOPPING;
                    break;
                default:
                    if (!onOwnEventLoop()) {
                        awaitStopped();
                    }
                    return;
            }
        }
        if (onOwnEventLoop()) {
            Thread stopper = new Thread(() -> shutDown(grace), "wsnetty-server-stop");
            stopper.setDaemon(true);
            stopper.start();
        } else {
            shutDown(grace);
        }
    }

    /**
     * Makes the JVM's shutdown (SIGTERM, Ctrl+C, {@code System.exit}) {@link #stop(Duration) stop} this server
     * with {@code grace} first, so that clients get a Close 1001 instead of a dropped connection. The hook is
     * removed when the server is stopped otherwise; calling this again replaces the grace period. Useful for
     * servers run with {@link #start()}; keep {@code grace} short, since shutdown hooks delay the exit.
     *
     * @param grace how long connections get to finish their closing handshake at shutdown
     * @throws IllegalStateException if the server was stopped, or the JVM is already shutting down
     */
    public synchronized void stopOnShutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        if (state == State.STOPPING || state == State.STOPPED) {
            throw new IllegalStateException("cannot stop on shutdown: the server was already stopped");
        }
        removeShutdownHook();
        Thread hook = new Thread(() -> stop(grace), "wsnetty-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Whether the server is listening (bound and not stopping). */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** The port listened on: the real one once bound (also when 0 was asked for), the configured one before. */
    public synchronized int port() {
        return serverChannel == null ? port : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The server's TLS configuration, or null when it speaks plain ws. */
    public TlsServerConfig tls() {
        return tls;
    }

    /**
     * The server's topics: every connection's communicator subscribes here ({@code communicator.subscribe}), and
     * {@code publish} or {@code publishToAll} (every upgraded connection) may be called from any thread. The
     * slow-subscriber policy is {@link dev.wsnetty.netty.topics.TopicsConfig#DEFAULT} until
     * {@code topics().setConfig} changes it.
     */
    public ChannelTopics topics() {
        return topics;
    }

    /**
     * The server's live statistics: connections, handshakes, messages and bytes, close codes, inbound memory, topics.
     * Counting is always on; read a {@link WebSocketStatistics#snapshot() snapshot} when needed.
     */
    public WebSocketStatistics statistics() {
        return statistics;
    }

    /** The number of open connections, upgraded or still in the handshake. */
    public int connectionCount() {
        return connections.size();
    }

    private void shutDown(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            synchronized (this) {
                removeShutdownHook();
            }
            serverChannel.close().awaitUninterruptibly(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
            if (ownsHandlers) {
                closeOwnedHandlers();
            }
            connections.closeAll(CloseCodes.GOING_AWAY, STOP_REASON,
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (acceptPool != null) {
                acceptPool.shutdown();
            }
            handlerThreadSlots.close();
        } finally {
            synchronized (this) {
                state = State.STOPPED;
            }
            stopped.countDown();
        }
    }

    /** Removes the hook of {@link #stopOnShutdown}, unless the JVM is already running it. Guarded by this. */
    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook == null || hook == Thread.currentThread()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is shutting down and runs the hook, which finds the server stopping and waits for it.
        }
    }

    /**
     * Closes a connection over {@link ServerConfig#maxConnectionsPerAddress()} before reading a byte: the cheapest
     * answer to a client that opens too many, which sees the connection end at once.
     */
    private static void refuseOverAddressLimit(Channel channel, int max, RateLimitedLog log) {
        log.info(LOG, "connections-per-address", () -> "Closed a connection from " + channel.remoteAddress()
                + ": that address already has " + max + " open connections (maxConnectionsPerAddress)");
        channel.close();
    }

    /** Closes each registered handler once, however many routes lead to it. */
    private void closeOwnedHandlers() {
        Set<WebSocketHandler> handlers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (HandlerEndpoint endpoint : router.endpoints()) {
            handlers.add(endpoint.handler());
        }
        for (WebSocketHandler handler : handlers) {
            try {
                handler.close();
            } catch (RuntimeException e) {
                LOG.log(Log.Level.WARN, "closing handler " + handler + " failed", e);
            }
        }
    }

    private void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean onOwnEventLoop() {
        EventLoopGroup loops = group;
        if (loops == null) {
            return false;
        }
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private void ensureNew(String what) {
        if (state != State.NEW) {
            throw new IllegalStateException("cannot change " + what + ": the server was already "
                    + (state == State.RUNNING ? "started" : "stopped") + "; a server runs once");
        }
    }

    private Executor acceptExecutor(ThreadPoolExecutor pool) {
        switch (acceptingMethod) {
            case THREADED:
                return SharedExecutors.threadPerTask(SharedExecutors.platformThreadFactory("wsnetty-accept-"));
            case THREAD_POOL:
                return pool;
            default:
                return null;
        }
    }

    /** A bounded pool that lets idle threads go; handshakes queue when all are busy. */
    private static ThreadPoolExecutor newAcceptPool() {
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, SharedExecutors.IDLE_THREAD_KEEP_ALIVE_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), SharedExecutors.platformThreadFactory("wsnetty-accept-"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static String describe(InetSocketAddress address) {
        return (address.isUnresolved() ? address.getHostString() : address.getAddress().getHostAddress()) + ':'
                + address.getPort();
    }

    /** What the endpoints see of this server. */
    private final class EndpointRuntime implements HandlerEndpoint.ServerRuntime {
        @Override
        public ServerConfig serverConfig() {
            return serverConfig;
        }

        @Override
        public CommunicatorConfig communicatorConfig() {
            return communicatorConfig;
        }

        @Override
        public LiveConnections connections() {
            return connections;
        }

        @Override
        public HandlerThreadSlots handlerThreadSlots() {
            return handlerThreadSlots;
        }

        @Override
        public RateLimitedLog log() {
            return log;
        }

        @Override
        public EventLoopHandlerThreads eventLoopHandlerThreads() {
            return eventLoopHandlerThreads;
        }

        @Override
        public ChannelTopics topics() {
            return topics;
        }
    }
}
