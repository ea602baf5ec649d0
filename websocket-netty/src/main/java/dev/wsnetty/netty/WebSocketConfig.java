package dev.wsnetty.netty;

import java.time.Duration;
import java.util.Objects;

import static dev.wsnetty.internal.SettingChecks.atLeast;
import static dev.wsnetty.internal.SettingChecks.nonNegative;

/**
 * The limits and timeouts of a WebSocket connection, shared by the handshake, codec and protocol
 * handlers. Immutable; build one with {@link #builder()} or use {@link #DEFAULT}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code maxFrameSize}</td><td>1 MiB</td><td>the largest frame payload accepted; larger closes with 1009</td></tr>
 *   <tr><td>{@code maxMessageSize}</td><td>1 MiB</td><td>the largest message (all fragments); peers range from
 *       64 KiB (Netty) to 100 MiB (Node's ws): 1 MiB fits chat and JSON traffic while capping what one
 *       connection can make the server buffer (10,000 connections × 1 MiB is the worst case to plan for). A
 *       compressed message is held to it once inflated; on the wire its frames and total may exceed both limits
 *       by deflate's growth of incompressible bytes (1/256 and 64 bytes)</td></tr>
 *   <tr><td>{@code streamingThreshold}</td><td>1 MiB</td><td>frames larger than this that straddle reads are
 *       passed on in pieces as they arrive instead of being buffered whole. Up to it a frame is passed on as it
 *       came, whole, as Netty's decoder and most peers do: an echo or a proxy then keeps the peer's frames, and
 *       the blocking API, which puts whole messages together anyway, holds the same bytes either way. Equal to
 *       {@code maxFrameSize}, so by default nothing is streamed; raise {@code maxFrameSize} above it for frames
 *       passed on in pieces. (Until issue 15: 16 KiB, and "at least", so that a frame of exactly the threshold
 *       was streamed.)</td></tr>
 *   <tr><td>{@code maxFramesPerMessage}</td><td>4096</td><td>the most frames one message may have; more closes
 *       with 1008. A 1 MiB message in 256-byte fragments still fits, while a stream of empty continuation frames
 *       (each costs a header's work and no bytes, so the size limits never stop it) ends at once</td></tr>
 *   <tr><td>{@code frameTimeout}</td><td>30 s</td><td>a frame not complete this long after its first byte closes the
 *       connection with 1008: a peer trickling a large frame holds its buffer only this long, even with the idle
 *       timeout off (it keeps sending). 30 s lets a default-sized 1 MiB frame come at 35 KB/s</td></tr>
 *   <tr><td>{@code messageTimeout}</td><td>60 s</td><td>a fragmented message not complete this long after its first
 *       byte closes the connection with 1008; twice the frame timeout, for senders that fragment large messages.
 *       Raise both with the size limits for peers on slow links</td></tr>
 *   <tr><td>{@code handshakeTimeout}</td><td>10 s</td><td>a connection that has not completed the HTTP upgrade by then is closed</td></tr>
 *   <tr><td>{@code closeTimeout}</td><td>5 s</td><td>after sending Close, how long to wait for the peer's Close (and, as a client,
 *       for the server to close TCP) before closing TCP anyway</td></tr>
 *   <tr><td>{@code failureDrainTimeout}</td><td>1 s</td><td>when the peer violates the protocol, how long the
 *       failing Close waits for the blocking API's handler to take the messages that arrived before the violation
 *       and write what they cause (an echo, say); see {@link #failureDrainTimeout()}. A handler thread takes and
 *       answers a message in well under a millisecond to a few, even on a loaded machine: 1 s leaves ample room
 *       while a handler that never reads holds the failed connection, and the queued messages already counted in
 *       the inbound memory budget, only that long</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>off</td><td>close with 1001 when nothing was received for this long</td></tr>
 *   <tr><td>{@code pingInterval}</td><td>off</td><td>send a keep-alive ping this often when nothing else was received</td></tr>
 *   <tr><td>{@code pongTimeout}</td><td>10 s</td><td>close with 1011 when a keep-alive ping is not answered within this time</td></tr>
 *   <tr><td>{@code maxHandshakeLineLength}</td><td>4096</td><td>a longer request line gets 414</td></tr>
 *   <tr><td>{@code maxHandshakeHeaderSize}</td><td>8192</td><td>larger request headers get 431</td></tr>
 *   <tr><td>{@code compression}</td><td>{@link CompressionMode#LEAN}</td><td>permessage-deflate (RFC 7692), on
 *       when the peer offers or accepts it (every browser does); {@code LEAN} compresses with no zlib memory held
 *       by an idle connection, {@link CompressionMode#CONTEXT_TAKEOVER} keeps per-connection zlib streams (about
 *       300 KiB of native memory while a connection is active), {@link CompressionMode#OFF} turns it off. A
 *       {@code LEAN} server answers {@code client_no_context_takeover} whether or not the client offered it, as
 *       RFC 7692 §7.1.1.2 allows: Netty's {@code websocketx} client refuses that answer, failing its handshake
 *       with a {@code CodecException}, unless its {@code PerMessageDeflateClientExtensionHandshaker} has
 *       {@code allowClientNoContext} set (the default {@code WebSocketClientCompressionHandler} does not); such a
 *       client needs that setting, or a server in {@code CONTEXT_TAKEOVER} or {@code OFF}</td></tr>
 *   <tr><td>{@code compressionLevel}</td><td>6</td><td>zlib's own default: most of level 9's ratio at a fraction
 *       of its time</td></tr>
 *   <tr><td>{@code compressionThreshold}</td><td>256 B</td><td>smaller messages are sent uncompressed: measured
 *       (BENCHMARKS.md, "Issue 17: compression threshold"), a message costs about 6 µs of CPU to compress and
 *       inflate whatever its size, and below 256 B text shrinks by less than 30 %; at 256 B by 43 %</td></tr>
 *   <tr><td>{@code compressionIdleRelease}</td><td>30 s</td><td>with context takeover, a connection that has sent
 *       no compressed message for this long frees its deflate stream (a sender may always start afresh); the
 *       inflate stream for a peer that takes over context stays, since the peer may refer to its window</td></tr>
 * </table>
 */
public final class WebSocketConfig {
    /** The defaults listed in the class description. */
    public static final WebSocketConfig DEFAULT = builder().build();

    private final int maxFrameSize;
    private final int maxMessageSize;
    private final int streamingThreshold;
    private final int maxFramesPerMessage;
    private final Duration frameTimeout;
    private final Duration messageTimeout;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final Duration failureDrainTimeout;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final int maxHandshakeLineLength;
    private final int maxHandshakeHeaderSize;
    private final CompressionMode compression;
    private final int compressionLevel;
    private final int compressionThreshold;
    private final Duration compressionIdleRelease;

    private WebSocketConfig(Builder b) {
        this.maxFrameSize = b.maxFrameSize;
        this.maxMessageSize = b.maxMessageSize;
        this.streamingThreshold = b.streamingThreshold;
        this.maxFramesPerMessage = b.maxFramesPerMessage;
        this.frameTimeout = b.frameTimeout;
        this.messageTimeout = b.messageTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.failureDrainTimeout = b.failureDrainTimeout;
        this.idleTimeout = b.idleTimeout;
        this.pingInterval = b.pingInterval;
        this.pongTimeout = b.pongTimeout;
        this.maxHandshakeLineLength = b.maxHandshakeLineLength;
        this.maxHandshakeHeaderSize = b.maxHandshakeHeaderSize;
        this.compression = b.compression;
        this.compressionLevel = b.compressionLevel;
        this.compressionThreshold = b.compressionThreshold;
        this.compressionIdleRelease = b.compressionIdleRelease;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The largest frame payload accepted, in bytes. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** The largest message accepted (sum of its fragments), in bytes. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Frames larger than this that straddle socket reads are passed on in pieces; a frame of at most this many bytes
     * is passed on whole.
     */
    public int streamingThreshold() {
        return streamingThreshold;
    }

    /** The most frames one data message may have (1 = no fragmentation); more closes with 1008. */
    public int maxFramesPerMessage() {
        return maxFramesPerMessage;
    }

    /**
     * How long a frame may take from its first byte to its last before the connection is closed with 1008;
     * {@link Duration#ZERO} means no limit. A deadline that passes while the handler's full inbound queue keeps the
     * connection from reading starts over: the peer is not late then (likewise for {@link #messageTimeout()}).
     */
    public Duration frameTimeout() {
        return frameTimeout;
    }

    /**
     * How long a fragmented message may take from its first byte to its last before the connection is closed with
     * 1008; {@link Duration#ZERO} means no limit.
     */
    public Duration messageTimeout() {
        return messageTimeout;
    }

    /** How long the opening handshake may take; {@link Duration#ZERO} means no limit. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long to wait for the closing handshake to finish before closing TCP. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * When the peer violates the protocol (any {@link dev.wsnetty.netty.codec.WebSocketProtocolException}: 1002,
     * 1007, 1008, 1009, 1013), how long the Close that fails the connection may wait for the application to take the
     * messages that arrived before the violation and to write what they cause; {@link Duration#ZERO} sends the Close
     * at once. Nothing is read after the violation meanwhile, and the Close, its code and reason, and the connection's
     * end are as without the wait, only later.
     *
     * <p>The wait matters to the blocking API only, where messages are taken by other threads (a frame pipeline has
     * handled them on the event loop before the violation is reported, so its Close goes out at once). There it ends
     * as soon as the communicator has no message left from before the violation and the application is back for
     * the next one: a thread waits in {@code waitForMessage} or {@code receiveMessage}, or a receive-message listener
     * call has returned; or when the application closes the connection itself (its handler returned, say), which
     * sends the failure's Close instead of its own; or when this timeout passes. Writes handed over until then go out
     * before the Close; later ones throw {@link dev.wsnetty.WebSocketClosedException}. A message whose fragments
     * were cut by the violation was never whole and is not delivered.
     */
    public Duration failureDrainTimeout() {
        return failureDrainTimeout;
    }

    /** Close with 1001 after this long without receiving anything; {@link Duration#ZERO} means off. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Interval of keep-alive pings; {@link Duration#ZERO} means off. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long a keep-alive ping may go unanswered before the connection is closed with 1011. */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /** The longest HTTP request line accepted in the handshake (longer gets 414). */
    public int maxHandshakeLineLength() {
        return maxHandshakeLineLength;
    }

    /** The largest HTTP header block accepted in the handshake (larger gets 431). */
    public int maxHandshakeHeaderSize() {
        return maxHandshakeHeaderSize;
    }

    /** Whether and how messages are compressed with permessage-deflate. */
    public CompressionMode compression() {
        return compression;
    }

    /** The deflate level, 1 (fastest) to 9 (smallest). */
    public int compressionLevel() {
        return compressionLevel;
    }

    /** Messages smaller than this many bytes are sent uncompressed. */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /**
     * With {@link CompressionMode#CONTEXT_TAKEOVER}, how long a connection may be idle before its zlib streams are
     * released where the agreed parameters allow it: this end's deflate stream, never the inflate stream of a peer
     * that takes over context ({@link Duration#ZERO}: never).
     */
    public Duration compressionIdleRelease() {
        return compressionIdleRelease;
    }

    @Override
    public String toString() {
        return "WebSocketConfig{maxFrameSize=" + maxFrameSize + ", maxMessageSize=" + maxMessageSize
                + ", streamingThreshold=" + streamingThreshold + ", maxFramesPerMessage=" + maxFramesPerMessage
                + ", frameTimeout=" + frameTimeout + ", messageTimeout=" + messageTimeout
                + ", handshakeTimeout=" + handshakeTimeout
                + ", closeTimeout=" + closeTimeout + ", failureDrainTimeout=" + failureDrainTimeout
                + ", idleTimeout=" + idleTimeout
                + ", pingInterval=" + pingInterval + ", pongTimeout=" + pongTimeout
                + ", maxHandshakeLineLength=" + maxHandshakeLineLength
                + ", maxHandshakeHeaderSize=" + maxHandshakeHeaderSize
                + ", compression=" + compression + ", compressionLevel=" + compressionLevel
                + ", compressionThreshold=" + compressionThreshold
                + ", compressionIdleRelease=" + compressionIdleRelease + '}';
    }

    /** Builds a {@link WebSocketConfig}; every setter validates its argument. */
    public static final class Builder {
        private int maxFrameSize = 1 << 20;
        private int maxMessageSize = 1 << 20;
        private int streamingThreshold = 1 << 20;
        private int maxFramesPerMessage = 4096;
        private Duration frameTimeout = Duration.ofSeconds(30);
        private Duration messageTimeout = Duration.ofSeconds(60);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration failureDrainTimeout = Duration.ofSeconds(1);
        private Duration idleTimeout = Duration.ZERO;
        private Duration pingInterval = Duration.ZERO;
        private Duration pongTimeout = Duration.ofSeconds(10);
        private int maxHandshakeLineLength = 4096;
        private int maxHandshakeHeaderSize = 8192;
        private CompressionMode compression = CompressionMode.LEAN;
        private int compressionLevel = 6;
        private int compressionThreshold = 256;
        private Duration compressionIdleRelease = Duration.ofSeconds(30);

        private Builder() {
        }

        private Builder(WebSocketConfig c) {
            maxFrameSize = c.maxFrameSize;
            maxMessageSize = c.maxMessageSize;
            streamingThreshold = c.streamingThreshold;
            maxFramesPerMessage = c.maxFramesPerMessage;
            frameTimeout = c.frameTimeout;
            messageTimeout = c.messageTimeout;
            handshakeTimeout = c.handshakeTimeout;
            closeTimeout = c.closeTimeout;
            failureDrainTimeout = c.failureDrainTimeout;
            idleTimeout = c.idleTimeout;
            pingInterval = c.pingInterval;
            pongTimeout = c.pongTimeout;
            maxHandshakeLineLength = c.maxHandshakeLineLength;
            maxHandshakeHeaderSize = c.maxHandshakeHeaderSize;
            compression = c.compression;
            compressionLevel = c.compressionLevel;
            compressionThreshold = c.compressionThreshold;
            compressionIdleRelease = c.compressionIdleRelease;
        }

        /** Sets the largest frame payload accepted (bytes, at least 125). */
        public Builder maxFrameSize(int bytes) {
            maxFrameSize = atLeast(bytes, 125, "maxFrameSize");
            return this;
        }

        /** Sets the largest message accepted (bytes, at least 125). */
        public Builder maxMessageSize(int bytes) {
            maxMessageSize = atLeast(bytes, 125, "maxMessageSize");
            return this;
        }

        /** Sets both {@link #maxFrameSize(int)} and {@link #maxMessageSize(int)}. */
        public Builder maxSize(int bytes) {
            return maxFrameSize(bytes).maxMessageSize(bytes);
        }

        /**
         * Sets the size above which frames straddling reads are passed on in pieces (bytes, at least 125: only
         * frames with a 16- or 64-bit length are ever streamed).
         */
        public Builder streamingThreshold(int bytes) {
            streamingThreshold = atLeast(bytes, 125, "streamingThreshold");
            return this;
        }

        /** Sets the most frames one data message may have (at least 1; 1 refuses fragmented messages). */
        public Builder maxFramesPerMessage(int frames) {
            maxFramesPerMessage = atLeast(frames, 1, "maxFramesPerMessage");
            return this;
        }

        /** Sets how long a frame may take from its first byte to its last ({@link Duration#ZERO} for no limit). */
        public Builder frameTimeout(Duration d) {
            frameTimeout = nonNegative(d, "frameTimeout");
            return this;
        }

        /**
         * Sets how long a fragmented message may take from its first byte to its last ({@link Duration#ZERO} for no
         * limit).
         */
        public Builder messageTimeout(Duration d) {
            messageTimeout = nonNegative(d, "messageTimeout");
            return this;
        }

        /** Sets the opening handshake timeout ({@link Duration#ZERO} for none). */
        public Builder handshakeTimeout(Duration d) {
            handshakeTimeout = nonNegative(d, "handshakeTimeout");
            return this;
        }

        /** Sets the closing handshake timeout (must be positive). */
        public Builder closeTimeout(Duration d) {
            closeTimeout = nonNegative(d, "closeTimeout");
            if (d.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive");
            }
            return this;
        }

        /**
         * Sets how long the Close failing a connection for the peer's violation waits for the application to take
         * the messages before it ({@link Duration#ZERO}: not at all); see
         * {@link WebSocketConfig#failureDrainTimeout()}.
         */
        public Builder failureDrainTimeout(Duration d) {
            failureDrainTimeout = nonNegative(d, "failureDrainTimeout");
            return this;
        }

        /** Sets the idle timeout ({@link Duration#ZERO} for none). */
        public Builder idleTimeout(Duration d) {
            idleTimeout = nonNegative(d, "idleTimeout");
            return this;
        }

        /** Sets the keep-alive ping interval ({@link Duration#ZERO} for none). */
        public Builder pingInterval(Duration d) {
            pingInterval = nonNegative(d, "pingInterval");
            return this;
        }

        /** Sets how long a keep-alive ping may go unanswered (must be positive). */
        public Builder pongTimeout(Duration d) {
            pongTimeout = nonNegative(d, "pongTimeout");
            if (d.isZero()) {
                throw new IllegalArgumentException("pongTimeout must be positive");
            }
            return this;
        }

        /** Sets the longest accepted HTTP request line (bytes, at least 64). */
        public Builder maxHandshakeLineLength(int bytes) {
            maxHandshakeLineLength = atLeast(bytes, 64, "maxHandshakeLineLength");
            return this;
        }

        /** Sets the largest accepted HTTP header block (bytes, at least 256). */
        public Builder maxHandshakeHeaderSize(int bytes) {
            maxHandshakeHeaderSize = atLeast(bytes, 256, "maxHandshakeHeaderSize");
            return this;
        }

        /** Sets whether and how messages are compressed with permessage-deflate. */
        public Builder compression(CompressionMode mode) {
            compression = Objects.requireNonNull(mode, "compression");
            return this;
        }

        /** Sets the deflate level (1 to 9). */
        public Builder compressionLevel(int level) {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("compressionLevel must be 1 to 9, not " + level);
            }
            compressionLevel = level;
            return this;
        }

        /** Sets the size below which messages are sent uncompressed (bytes, 0 to compress every message). */
        public Builder compressionThreshold(int bytes) {
            compressionThreshold = atLeast(bytes, 0, "compressionThreshold");
            return this;
        }

        /**
         * Sets how long a context-takeover connection may be idle before its zlib streams are released
         * ({@link Duration#ZERO}: never).
         */
        public Builder compressionIdleRelease(Duration d) {
            compressionIdleRelease = nonNegative(d, "compressionIdleRelease");
            return this;
        }

        /** The configuration. */
        public WebSocketConfig build() {
            return new WebSocketConfig(this);
        }
    }
}
