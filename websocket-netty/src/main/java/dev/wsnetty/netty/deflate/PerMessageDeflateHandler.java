package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.FrameDecoder;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.codec.WebSocketProtocolException;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * permessage-deflate (RFC 7692) on an upgraded connection, after the handshake agreed it: inflates the peer's
 * compressed messages and compresses the messages this end writes. {@code WebSocketPipeline.addDeflate} puts it in
 * the extensions slot, between the frame encoder and the protocol handler, so that inbound it sees the decoder's
 * frames with their RSV1 before the protocol handler and the aggregator, and outbound it sees data frames before the
 * encoder. Control frames pass untouched both ways.
 *
 * <p><b>Inbound</b> ({@link MessageInflater}): a message whose first frame has RSV1 is inflated, fragmented or not,
 * into plain frames (pieces of at most 16 KiB); other messages pass as they are. The message size limit
 * ({@link WebSocketConfig#maxMessageSize()}) applies to the inflated size (1009, refused before more than the limit
 * is made), invalid deflate data and inflated text that is not UTF-8 fail with 1007. Violations are reported
 * through {@link FrameDecoder#failMessage}, so the decoder stops decoding and the protocol handler closes as for
 * its own. When added, the handler tells the decoder to accept RSV1 ({@link FrameDecoder#acceptCompressedMessages()}).
 *
 * <p><b>Inbound memory budget.</b> The decoder counts the bytes of an unfinished message in the connection's
 * account of the inbound memory budget ({@link FrameDecoder#inboundAccount()}), as the aggregator holds them; for a
 * compressed message the aggregator holds the inflated bytes, so the decoder counts only its partial frame and this
 * handler counts what it has inflated of the unfinished message, settled after each frame and released when the
 * message's last piece goes on (before the next handler may count it again, in its queue). The budget may then
 * pause reading or close the connection with 1013, as for uncompressed messages.
 *
 * <p><b>Outbound</b> ({@link MessageDeflater}): data messages of at least
 * {@link WebSocketConfig#compressionThreshold()} bytes, and fragmented messages, are compressed at {@link WebSocketConfig#compressionLevel()}. An
 * {@code EncodedFrame} (a topic's message, encoded once for all its subscribers) passes uncompressed: it is already
 * bytes on the wire, shared by connections that may not all have agreed on compression, and compressing it per
 * connection would undo the point of encoding it once.
 *
 * <p><b>Zlib memory.</b> A direction without context takeover (both in {@code CompressionMode.LEAN}) borrows a zlib
 * stream from its event loop's {@link SharedZlibStreams} for each message, so an idle connection holds none. A
 * direction with context takeover keeps a stream per connection, made at its first compressed message. What may be
 * let go differs by side: this end's deflate stream (about 256 KiB at level 6) is ended after
 * {@link WebSocketConfig#compressionIdleRelease()} without a compressed message sent (a sender may always start
 * afresh); the inflate stream for a peer that takes over context (about 40 KiB) cannot be, since the peer's next
 * message may refer to the window it holds, and lives as long as the connection. Every stream is ended or given back
 * when the channel closes or the handler is removed.
 *
 * <p><b>Windows.</b> A peer's window of fewer than 15 bits inflates fine. When the peer limits this end's window
 * below 15 bits, which {@link java.util.zip.Deflater} cannot shrink to, messages are Huffman-coded only (no
 * back-references, so they fit any window), with a deflater borrowed per message.
 *
 * <p><b>Heap.</b> An idle connection in {@code CompressionMode.LEAN} holds this handler and nothing else: the
 * agreement is a shared instance ({@link DeflateParameters#of}), and the per-message state of each direction (a
 * {@link MessageInflater}, a {@link MessageDeflater}) is made when a compressed message starts and dropped when it
 * ends. With context takeover a direction's state lives as long as its zlib stream. {@link DeflateAgreement#of} reads
 * the agreement from here while the connection is open (no channel attribute holds it until the handler leaves).
 *
 * <p>One instance per connection; every method runs on the channel's event loop.
 */
public final class PerMessageDeflateHandler extends ChannelDuplexHandler {
    /** What the handshake agreed; shared by the connections that agreed the same. */
    private final DeflateParameters agreed;
    /** The level, threshold, idle release and message size limit; shared by the server's connections. */
    private final WebSocketConfig config;
    /** Whether this is the server's end: its compressor follows the {@code server_*} parameters. */
    private final boolean server;

    /** The decoder this handler reports violations to; set when added. */
    private FrameDecoder decoder;
    /** Set when added: where inflated pieces go on, the idle timer's executor and clock. */
    private ChannelHandlerContext ctx;
    /** The inbound direction's state: null between compressed messages unless it holds the peer's context. */
    private MessageInflater inflater;
    /** The outbound direction's state: null between compressed messages unless it holds this end's context. */
    private MessageDeflater deflater;
    /**
     * Inflated bytes of the unfinished compressed message counted in the decoder's inbound account; at most the
     * message size limit, an int.
     */
    private int accounted;
    /** The timer that ends an idle deflate stream; null while none is scheduled. */
    private ScheduledFuture<?> idleTimer;
    /** Set when the channel ended or the handler left: nothing makes a zlib stream any more. */
    private boolean closed;

    /**
     * Creates the handler for one connection.
     *
     * @param agreed the parameters the handshake agreed
     * @param config the level, threshold, idle release and message size limit
     * @param role   which end this is: the server's compressor follows the {@code server_*} parameters
     */
    public PerMessageDeflateHandler(DeflateParameters agreed, WebSocketConfig config, Role role) {
        this.agreed = Objects.requireNonNull(agreed, "agreed");
        this.config = Objects.requireNonNull(config, "config");
        this.server = Objects.requireNonNull(role, "role") == Role.SERVER;
    }

    /** The parameters the handshake agreed. */
    DeflateParameters agreed() {
        return agreed;
    }

    /** Finds the decoder and lets it accept RSV1. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        FrameDecoder d = ctx.pipeline().get(FrameDecoder.class);
        if (d == null) {
            throw new IllegalStateException("permessage-deflate needs the FrameDecoder in the pipeline before it");
        }
        d.acceptCompressedMessages();
        this.decoder = d;
        this.ctx = ctx;
    }

    /** Inflates compressed messages; passes everything else on. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        MessageInflater in = inflater;
        if (closed || !frame.isCompressed() && !(frame.isContinuation() && in != null && in.inMessage())) {
            ctx.fireChannelRead(frame); // control frames, uncompressed messages
            return;
        }
        if (in == null) {
            in = inflater = newInflater();
        }
        try {
            in.inflate(ctx.alloc(), frame, this::passOn);
            settleAccount(in.inflatedSoFar());
        } catch (WebSocketProtocolException violation) {
            in.close();
            settleAccount(0);
            decoder.failMessage(violation);
        } finally {
            frame.release();
            if (inflater == in && in.isIdle()) {
                inflater = null; // a lean connection keeps nothing between messages
            }
        }
    }

    private MessageInflater newInflater() {
        // A peer's smaller window inflates fine with a 15-bit inflater: it only refers less far back.
        boolean peerNoContextTakeover = server ? agreed.clientNoContextTakeover() : agreed.serverNoContextTakeover();
        return new MessageInflater(!peerNoContextTakeover, config.maxMessageSize());
    }

    /** Passes an inflated piece on; the last of a message is no longer counted here. */
    private void passOn(WebSocketFrame piece) {
        if (piece.isFinal() && accounted != 0) {
            decoder.inboundAccount().release(accounted);
            accounted = 0;
        }
        ctx.fireChannelRead(piece);
    }

    /**
     * Counts the inflated bytes of the unfinished message ({@code held}) in the inbound account, as the decoder
     * counts its own.
     */
    private void settleAccount(int held) {
        if (held > accounted) {
            decoder.inboundAccount().reserve(held - accounted);
        } else if (held < accounted) {
            decoder.inboundAccount().release(accounted - held);
        }
        accounted = held;
    }

    /** Compresses data messages as {@link MessageDeflater} decides; passes everything else on. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof WebSocketFrame) || closed) {
            // EncodedFrame among others (see the class comment); after the end, writes fail further on.
            ctx.write(msg, promise);
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        MessageDeflater out = deflater;
        if (out == null) {
            if (!MessageDeflater.startsCompressedMessage(frame, config.compressionThreshold())) {
                ctx.write(frame, promise); // control frames, small messages, the rest of an uncompressed message
                return;
            }
            out = deflater = newDeflater();
        }
        WebSocketFrame encoded;
        try {
            encoded = out.encode(ctx.alloc(), frame, now());
        } catch (Throwable t) {
            frame.release();
            promise.setFailure(t);
            // The message cannot go on: the connection fails (1011) rather than send the rest of it uncompressed.
            ctx.fireExceptionCaught(t);
            return;
        } finally {
            if (out.isIdle()) {
                deflater = null; // a lean connection keeps nothing between messages
            }
        }
        if (idleTimer == null && out.holdsStream()) {
            long idleReleaseNanos = config.compressionIdleRelease().toNanos();
            if (idleReleaseNanos > 0) {
                scheduleIdleCheck(out.lastUsed() + idleReleaseNanos);
            }
        }
        ctx.write(encoded, promise);
    }

    private MessageDeflater newDeflater() {
        // A window under 15 bits makes the deflater Huffman-only (see MessageDeflater): Deflater cannot shrink its own.
        int ownWindowBits = server ? agreed.serverMaxWindowBits() : agreed.clientMaxWindowBits();
        boolean ownNoContextTakeover = server ? agreed.serverNoContextTakeover() : agreed.clientNoContextTakeover();
        return new MessageDeflater(!ownNoContextTakeover, ownWindowBits, config.compressionLevel(),
                config.compressionThreshold());
    }

    private void scheduleIdleCheck(long at) {
        idleTimer = ctx.executor().schedule(this::idleCheck, at - now(), TimeUnit.NANOSECONDS);
    }

    /** Ends this end's deflate stream once it has been unused for the idle time; else looks again then. */
    private void idleCheck() {
        idleTimer = null;
        MessageDeflater out = deflater;
        if (out == null) {
            return; // closed
        }
        long idleReleaseNanos = config.compressionIdleRelease().toNanos();
        if (out.releaseIfIdle(now() - idleReleaseNanos)) {
            scheduleIdleCheck(out.lastUsed() + idleReleaseNanos);
        } else if (out.isIdle()) {
            deflater = null;
        }
    }

    /** Ends or gives back every zlib stream. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close();
        ctx.fireChannelInactive();
    }

    /** Ends or gives back every zlib stream. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        close();
    }

    private void close() {
        if (!closed && ctx != null) {
            // Set while this handler is still in the pipeline when the channel ends (channelInactive comes first),
            // so that DeflateAgreement.of always finds one of the two.
            DeflateAgreement.keepAfterHandler(ctx.channel(), agreed);
        }
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        if (inflater != null) {
            inflater.close();
            inflater = null;
        }
        if (deflater != null) {
            deflater.close();
            deflater = null;
        }
        if (accounted != 0) {
            decoder.inboundAccount().release(accounted);
            accounted = 0;
        }
    }

    /** Whether the connection holds a deflate stream of its own (context takeover), for tests. */
    boolean holdsDeflateStream() {
        return deflater != null && deflater.holdsStream();
    }

    /** Whether the connection holds an inflate stream of its own (the peer takes over context), for tests. */
    boolean holdsInflateStream() {
        return inflater != null && inflater.holdsStream();
    }

    /** Whether the connection holds per-message state of either direction, for tests: none while a lean one idles. */
    boolean holdsMessageState() {
        return inflater != null || deflater != null;
    }

    private long now() {
        // The executor's ticker rather than System.nanoTime(), so that tests can move time forward.
        return ctx.executor().ticker().nanoTime();
    }
}
