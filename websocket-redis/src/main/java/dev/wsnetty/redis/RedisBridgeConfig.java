package dev.wsnetty.redis;

import io.lettuce.core.RedisURI;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisTopicsBridge} reaches Redis and what it allows. Immutable; build one with
 * {@link #builder(String)}.
 *
 * <p>The Redis URI is Lettuce's {@link RedisURI} syntax: {@code redis://host:port}, with a password
 * {@code redis://:password@host:port} (or {@code redis://user:password@host:port} for an ACL user), with TLS
 * {@code rediss://host:port} (the JVM's trust store checks the server's certificate), a database {@code /n}.
 * The bridge's pub/sub messages ignore the database (Redis channels are server-wide); its id registry uses it.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code channelPrefix}</td><td>{@code "wsnetty:"}</td><td>names the bridge's Redis channels and keys
 *       ({@code <prefix>topic:<name>}, {@code <prefix>node:<id>}, {@code <prefix>id:<id>}), so that several
 *       clusters can share one Redis</td></tr>
 *   <tr><td>{@code maxPayloadBytes}</td><td>1 MiB</td><td>a larger publish throws
 *       {@link IllegalArgumentException}: Redis copies each message to every subscribed node's output buffer,
 *       and its default pub/sub client output limit (32 MiB hard) closes a node that lags behind</td></tr>
 *   <tr><td>{@code maxPendingPublishes}</td><td>10,000</td><td>publishes sent to Redis and not answered yet;
 *       past it a publish is counted lost instead of queued, so a slow Redis costs bounded memory</td></tr>
 *   <tr><td>{@code maxPendingBytes}</td><td>64 MiB</td><td>the same bound on their bytes (payloads and
 *       envelopes), for large messages: 10,000 pending messages of 1 MiB would be 10 GiB</td></tr>
 *   <tr><td>{@code commandTimeout}</td><td>5 s</td><td>a command Redis does not answer in this time fails (a
 *       publish is then counted lost), so pending publishes drain even when Redis hangs</td></tr>
 *   <tr><td>{@code reconnectDelayMin} / {@code Max}</td><td>100 ms / 5 s</td><td>after a lost connection,
 *       Lettuce retries after 100 ms, doubling up to 5 s between attempts</td></tr>
 *   <tr><td>{@code idExpiry}</td><td>30 s</td><td>how long an id's entry in the registry outlives its node's
 *       last refresh; the node refreshes its entries every third of it</td></tr>
 * </table>
 */
public final class RedisBridgeConfig {
    /** The default {@code channelPrefix}. */
    public static final String DEFAULT_CHANNEL_PREFIX = "wsnetty:";
    /** The default {@code maxPayloadBytes}: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
    /** The default {@code maxPendingPublishes}. */
    public static final int DEFAULT_MAX_PENDING_PUBLISHES = 10_000;
    /** The default {@code maxPendingBytes}: 64 MiB. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    /** The default {@code commandTimeout}: 5 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** The default {@code reconnectDelayMin}: 100 ms. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofMillis(100);
    /** The default {@code reconnectDelayMax}: 5 s. */
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(5);
    /** The default {@code idExpiry}: 30 s. */
    public static final Duration DEFAULT_ID_EXPIRY = Duration.ofSeconds(30);

    private final RedisURI uri;
    private final String channelPrefix;
    private final int maxPayloadBytes;
    private final int maxPendingPublishes;
    private final long maxPendingBytes;
    private final Duration commandTimeout;
    private final Duration reconnectDelayMin;
    private final Duration reconnectDelayMax;
    private final Duration idExpiry;

    private RedisBridgeConfig(Builder b) {
        this.uri = b.uri;
        this.channelPrefix = b.channelPrefix;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.maxPendingPublishes = b.maxPendingPublishes;
        this.maxPendingBytes = b.maxPendingBytes;
        this.commandTimeout = b.commandTimeout;
        this.reconnectDelayMin = b.reconnectDelayMin;
        this.reconnectDelayMax = b.reconnectDelayMax;
        this.idExpiry = b.idExpiry;
    }

    /**
     * A builder for the Redis at {@code uri}, starting from the defaults.
     *
     * @param uri e.g. {@code redis://127.0.0.1:6379}, {@code redis://:secret@host:6379}, {@code rediss://host:6380}
     * @throws IllegalArgumentException if Lettuce cannot parse it
     */
    public static Builder builder(String uri) {
        Objects.requireNonNull(uri, "uri");
        try {
            return new Builder(RedisURI.create(uri));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Redis URI: '" + uri + "' (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A builder for the Redis {@code uri} (Lettuce's form, for settings a URI string cannot carry), starting from
     * the defaults.
     *
     * @param uri where Redis is and how to log in
     */
    public static Builder builder(RedisURI uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"));
    }

    /** Where Redis is and how to log in. */
    public RedisURI uri() {
        return uri;
    }

    /** The prefix of the bridge's Redis channels and keys. */
    public String channelPrefix() {
        return channelPrefix;
    }

    /** The largest payload a publish may carry through Redis, in bytes. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** How many publishes may wait for Redis's answer before more are counted lost. */
    public int maxPendingPublishes() {
        return maxPendingPublishes;
    }

    /** How many bytes of publishes may wait for Redis's answer before more are counted lost. */
    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    /** How long a Redis command may take before it fails. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The first delay before reconnecting. */
    public Duration reconnectDelayMin() {
        return reconnectDelayMin;
    }

    /** The longest delay between reconnection attempts. */
    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    /** How long a registry entry outlives its node's last refresh. */
    public Duration idExpiry() {
        return idExpiry;
    }

    @Override
    public String toString() {
        // Without the URI's password.
        return "RedisBridgeConfig{uri=" + uri.getHost() + ':' + uri.getPort() + (uri.isSsl() ? " (TLS)" : "")
                + ", channelPrefix=" + channelPrefix + ", maxPayloadBytes=" + maxPayloadBytes
                + ", maxPendingPublishes=" + maxPendingPublishes + ", maxPendingBytes=" + maxPendingBytes
                + ", commandTimeout=" + commandTimeout
                + ", reconnectDelay=" + reconnectDelayMin + ".." + reconnectDelayMax + ", idExpiry=" + idExpiry + '}';
    }

    /** Builds a {@link RedisBridgeConfig}; starts from the defaults. */
    public static final class Builder {
        private final RedisURI uri;
        private String channelPrefix = DEFAULT_CHANNEL_PREFIX;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxPendingPublishes = DEFAULT_MAX_PENDING_PUBLISHES;
        private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
        private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
        private Duration idExpiry = DEFAULT_ID_EXPIRY;

        private Builder(RedisURI uri) {
            this.uri = uri;
        }

        /**
         * The prefix of the bridge's Redis channels and keys; every node of a cluster uses the same one.
         *
         * @param prefix any string, may be empty
         */
        public Builder channelPrefix(String prefix) {
            this.channelPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * The largest payload a publish may carry through Redis; at least 1.
         *
         * @param bytes the limit
         */
        public Builder maxPayloadBytes(int bytes) {
            this.maxPayloadBytes = atLeastOne("maxPayloadBytes", bytes);
            return this;
        }

        /**
         * How many publishes may wait for Redis's answer before more are counted lost; at least 1.
         *
         * @param publishes the bound
         */
        public Builder maxPendingPublishes(int publishes) {
            this.maxPendingPublishes = atLeastOne("maxPendingPublishes", publishes);
            return this;
        }

        /**
         * How many bytes of publishes may wait for Redis's answer before more are counted lost; at least 1 (a
         * publish is always sent when nothing is pending).
         *
         * @param bytes the bound
         */
        public Builder maxPendingBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxPendingBytes must be at least 1, not " + bytes);
            }
            this.maxPendingBytes = bytes;
            return this;
        }

        /**
         * How long a Redis command may take before it fails; positive.
         *
         * @param timeout the timeout
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive("commandTimeout", timeout);
            return this;
        }

        /**
         * The delays between reconnection attempts: {@code min} first, doubling up to {@code max}.
         *
         * @param min the first delay, positive
         * @param max the longest delay, at least {@code min}
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            positive("reconnectDelay min", min);
            positive("reconnectDelay max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnectDelay max " + max + " is below min " + min);
            }
            this.reconnectDelayMin = min;
            this.reconnectDelayMax = max;
            return this;
        }

        /**
         * How long a registry entry outlives its node's last refresh; at least 3 ms (refreshed every third).
         *
         * @param expiry the expiry
         */
        public Builder idExpiry(Duration expiry) {
            positive("idExpiry", expiry);
            if (expiry.toMillis() < 3) {
                throw new IllegalArgumentException("idExpiry must be at least 3 ms, not " + expiry);
            }
            this.idExpiry = expiry;
            return this;
        }

        /** The configuration. */
        public RedisBridgeConfig build() {
            return new RedisBridgeConfig(this);
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, not " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            return value;
        }
    }
}
