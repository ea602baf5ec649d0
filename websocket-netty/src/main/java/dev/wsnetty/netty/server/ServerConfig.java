package dev.wsnetty.netty.server;

import dev.wsnetty.AllowedOrigins;

import java.time.Duration;
import java.util.Objects;

import static dev.wsnetty.internal.SettingChecks.atLeast;

/**
 * The server-wide protections of a {@link WebSocketServer}: which pages may connect, how many platform threads
 * blocking handlers may hold, how the server answers when it is out of them, and how often it may repeat a
 * warning. Immutable; build one with {@link #builder()} or use {@link #DEFAULT}, and give it to
 * {@link WebSocketServer#setServerConfig}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code allowedOrigins}</td><td>{@link AllowedOrigins#sameOrigin()}</td><td>requests without
 *       {@code Origin} (non-browser clients) and pages served by this server pass; other pages get 403, so a
 *       foreign site cannot use a visitor's cookies (a handler's {@code allowedOrigins()} overrides it)</td></tr>
 *   <tr><td>{@code maxPlatformHandlerThreads}</td><td>half the process limit ({@code ulimit -u}, read from
 *       {@code /proc/self/limits}), at most 10,000; 10,000 where the limit is unknown</td><td>on Java 17-20 each
 *       connection of a blocking handler holds a platform thread. Thread creation fails at the process limit,
 *       which the rest of the JVM and the user's other processes share, so half of it is left to them; and
 *       10,000 threads already reserve about 10 GiB of stack address space. Handshakes beyond the bound get 503.
 *       0 means no bound (a thread that cannot be created still means 503). Virtual threads (Java 21+) are not
 *       counted</td></tr>
 *   <tr><td>{@code retryAfter}</td><td>5 s</td><td>the {@code Retry-After} of a 503 when no handler thread can be
 *       had: long enough for connections to end, short enough for a client's retry to be useful</td></tr>
 *   <tr><td>{@code logInterval}</td><td>10 s</td><td>a repeated warning (failed TLS handshakes, write timeouts,
 *       accept failures, refused connections) is logged once per interval and kind, then once with the number of
 *       repeats left out, so a hostile client cannot flood the log</td></tr>
 *   <tr><td>{@code acceptBackoff}</td><td>1 s</td><td>when accepting fails (out of file descriptors), the server
 *       stops accepting for this long instead of spinning on the error</td></tr>
 *   <tr><td>{@code maxConnectionsPerAddress}</td><td>0 (off)</td><td>connections from one remote IP address
 *       beyond this are closed at once, before any byte is read; off by default because many clients may share
 *       an address behind NAT or a proxy</td></tr>
 * </table>
 */
public final class ServerConfig {
    /** The default {@code maxPlatformHandlerThreads} where the process limit is unknown or larger: 10,000. */
    public static final int DEFAULT_MAX_PLATFORM_HANDLER_THREADS_CAP = 10_000;
    /** The default {@code retryAfter}: 5 s. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    /** The default {@code logInterval}: 10 s. */
    public static final Duration DEFAULT_LOG_INTERVAL = Duration.ofSeconds(10);
    /** The default {@code acceptBackoff}: 1 s. */
    public static final Duration DEFAULT_ACCEPT_BACKOFF = Duration.ofSeconds(1);
    /** The default {@code maxConnectionsPerAddress}: 0, no limit. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 0;
    /** The default {@code handlerThreadsOnEventLoop}: false, virtual handler threads on the JVM's scheduler. */
    public static final boolean DEFAULT_HANDLER_THREADS_ON_EVENT_LOOP = false;

    /** The defaults listed in the class description. */
    public static final ServerConfig DEFAULT = builder().build();

    private final AllowedOrigins allowedOrigins;
    private final int maxPlatformHandlerThreads;
    private final Duration retryAfter;
    private final Duration logInterval;
    private final Duration acceptBackoff;
    private final int maxConnectionsPerAddress;
    private final boolean handlerThreadsOnEventLoop;

    private ServerConfig(Builder b) {
        this.allowedOrigins = b.allowedOrigins;
        this.maxPlatformHandlerThreads = b.maxPlatformHandlerThreads;
        this.retryAfter = b.retryAfter;
        this.logInterval = b.logInterval;
        this.acceptBackoff = b.acceptBackoff;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.handlerThreadsOnEventLoop = b.handlerThreadsOnEventLoop;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The default {@code maxPlatformHandlerThreads} on this machine, as the class description derives it. */
    public static int defaultMaxPlatformHandlerThreads() {
        long processes = ProcessLimits.maxProcesses();
        if (processes <= 0) {
            return DEFAULT_MAX_PLATFORM_HANDLER_THREADS_CAP;
        }
        return (int) Math.max(1, Math.min(DEFAULT_MAX_PLATFORM_HANDLER_THREADS_CAP, processes / 2));
    }

    /** The origins allowed for handlers that do not say ({@code WebSocketHandler.allowedOrigins()} null). */
    public AllowedOrigins allowedOrigins() {
        return allowedOrigins;
    }

    /** How many platform threads the server's blocking handlers may hold at once; 0 means no bound. */
    public int maxPlatformHandlerThreads() {
        return maxPlatformHandlerThreads;
    }

    /** The {@code Retry-After} of the 503 sent when no handler thread can be had. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** How often one kind of repeated warning may be logged. */
    public Duration logInterval() {
        return logInterval;
    }

    /** How long the server stops accepting after an accept failed. */
    public Duration acceptBackoff() {
        return acceptBackoff;
    }

    /** The most connections one remote IP address may have open; 0 means no limit. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /**
     * Whether virtual handler threads run on their connection's event loop thread when the JVM allows it (see the
     * class description).
     */
    public boolean handlerThreadsOnEventLoop() {
        return handlerThreadsOnEventLoop;
    }

    @Override
    public String toString() {
        return "ServerConfig{allowedOrigins=" + allowedOrigins + ", maxPlatformHandlerThreads="
                + maxPlatformHandlerThreads + ", retryAfter=" + retryAfter + ", logInterval=" + logInterval
                + ", acceptBackoff=" + acceptBackoff + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress
                + ", handlerThreadsOnEventLoop=" + handlerThreadsOnEventLoop + '}';
    }

    /** Builds a {@link ServerConfig}; every setter validates its argument. */
    public static final class Builder {
        private AllowedOrigins allowedOrigins = AllowedOrigins.sameOrigin();
        private int maxPlatformHandlerThreads = defaultMaxPlatformHandlerThreads();
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private Duration logInterval = DEFAULT_LOG_INTERVAL;
        private Duration acceptBackoff = DEFAULT_ACCEPT_BACKOFF;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private boolean handlerThreadsOnEventLoop = DEFAULT_HANDLER_THREADS_ON_EVENT_LOOP;

        private Builder() {
        }

        private Builder(ServerConfig c) {
            allowedOrigins = c.allowedOrigins;
            maxPlatformHandlerThreads = c.maxPlatformHandlerThreads;
            retryAfter = c.retryAfter;
            logInterval = c.logInterval;
            acceptBackoff = c.acceptBackoff;
            maxConnectionsPerAddress = c.maxConnectionsPerAddress;
            handlerThreadsOnEventLoop = c.handlerThreadsOnEventLoop;
        }

        /** Sets the origins allowed for handlers whose {@code allowedOrigins()} returns null. */
        public Builder allowedOrigins(AllowedOrigins origins) {
            allowedOrigins = Objects.requireNonNull(origins, "allowedOrigins");
            return this;
        }

        /** Sets the bound on platform handler threads (at least 0; 0 for none). */
        public Builder maxPlatformHandlerThreads(int threads) {
            maxPlatformHandlerThreads = atLeast(threads, 0, "maxPlatformHandlerThreads");
            return this;
        }

        /** Sets the {@code Retry-After} of a 503 for want of a handler thread (whole seconds, at least 1 s). */
        public Builder retryAfter(Duration d) {
            retryAfter = atLeast(d, Duration.ofSeconds(1), "retryAfter");
            return this;
        }

        /** Sets how often one kind of repeated warning may be logged (at least 1 ms). */
        public Builder logInterval(Duration d) {
            logInterval = atLeast(d, Duration.ofMillis(1), "logInterval");
            return this;
        }

        /** Sets how long accepting pauses after an accept failure (at least 1 ms). */
        public Builder acceptBackoff(Duration d) {
            acceptBackoff = atLeast(d, Duration.ofMillis(1), "acceptBackoff");
            return this;
        }

        /** Sets the most connections per remote IP address (at least 0; 0 for no limit). */
        public Builder maxConnectionsPerAddress(int connections) {
            maxConnectionsPerAddress = atLeast(connections, 0, "maxConnectionsPerAddress");
            return this;
        }

        /**
         * Sets whether virtual handler threads run on their connection's event loop thread (see the class
         * description for the risk and the JVM option it needs).
         */
        public Builder handlerThreadsOnEventLoop(boolean onEventLoop) {
            handlerThreadsOnEventLoop = onEventLoop;
            return this;
        }

        /** The configuration. */
        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
