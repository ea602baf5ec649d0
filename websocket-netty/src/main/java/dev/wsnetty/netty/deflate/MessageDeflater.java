package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * The sending half of permessage-deflate for one connection (RFC 7692 §7.2.1): compresses the data messages this end
 * writes, frame by frame.
 *
 * <p><b>Which messages.</b> A whole message (one final frame) of at least {@code threshold} bytes is compressed;
 * a smaller one goes as it is, without RSV1, since deflate's framing costs more than it saves on a few bytes. A
 * fragmented message is decided at its first frame and always compressed: its size is not known yet, and messages
 * sent in fragments are the large ones. Its frames are compressed as they go (each ends with a sync flush, so the
 * peer can inflate what arrived), RSV1 on the first frame only, and the final frame's trailing {@code 00 00 ff ff}
 * is removed as §7.2.1 asks. Control frames are never compressed.
 *
 * <p><b>Context.</b> When this end agreed to take over its context, its messages are one deflate stream, kept by the
 * connection (made at the first compressed message) so that later messages refer to earlier ones. Unlike the
 * receiver's, this context may be dropped at any time: a sender that starts a fresh stream merely does not refer to
 * what the peer still remembers, which every inflater accepts. So {@link #releaseIfIdle} ends the stream of a
 * connection that sent nothing for a while, and the next message makes a new one. Without context takeover a
 * deflater is borrowed from the thread's {@link SharedZlibStreams} for the message.
 *
 * <p><b>Lifetime.</b> The handler makes one when a compressed message starts ({@link #startsCompressedMessage}) and
 * drops it once {@link #isIdle()}: at the message's end without context takeover, so an idle lean connection holds
 * none; with the connection's own stream, until the idle release ends that stream.
 *
 * <p><b>Window.</b> {@link Deflater} always compresses with a 15-bit window. When the peer limits this end's window
 * to fewer bits (RFC 7692 §7.1.2: {@code server_max_window_bits} or {@code client_max_window_bits}), messages are
 * compressed by a Huffman-only deflater ({@link Deflater#HUFFMAN_ONLY}) borrowed for the message: it encodes
 * literals only and refers back to nothing, so any window holds what it refers to. There is then no context to take
 * over either. Such messages shrink less (literals only: JSON-like text by about a third, not by 80 % or more).
 *
 * <p>On the channel's event loop only.
 */
final class MessageDeflater {
    /** The sync flush's empty stored block that ends every compressed message, removed before sending. */
    private static final int TAIL = 0x0000ffff;

    private final boolean keepsContext;
    /** Whether the peer limited this end's window below 15 bits, so that only Huffman coding fits. */
    private final boolean huffmanOnly;
    private final int level;
    private final int threshold;

    /** The connection's own stream when this end takes over context, made on first use; null while released. */
    private Deflater connectionDeflater;
    /** The stream of the message being compressed, null between messages (and while one passes uncompressed). */
    private Deflater deflater;
    /** When the connection's stream last finished a message, by the caller's clock. */
    private long lastUsed;

    /**
     * @param keepsContext whether this end agreed to take over its context between messages
     * @param windowBits   the window the peer allows this end's compressor, 8 to 15
     * @param level        the deflate level, 1 to 9
     * @param threshold    the size below which a whole message goes uncompressed
     */
    MessageDeflater(boolean keepsContext, int windowBits, int level, int threshold) {
        this.huffmanOnly = windowBits < DeflateParameters.MAX_WINDOW_BITS;
        this.keepsContext = keepsContext && !huffmanOnly;
        this.level = level;
        this.threshold = threshold;
    }

    /**
     * Whether {@code frame}, written while no compressed message is in progress, starts one: a data frame that
     * starts a message, not compressed by the application, and not a whole message under {@code threshold} bytes.
     */
    static boolean startsCompressedMessage(WebSocketFrame frame, int threshold) {
        return !frame.isControl() && !frame.isContinuation() && !frame.isCompressed()
                && !(frame.isFinal() && frame.content().readableBytes() < threshold);
    }

    /**
     * Whether this holds nothing a later frame needs: no message in progress and no stream of the connection's own.
     * The handler then drops it, and makes a new one when a compressed message starts.
     */
    boolean isIdle() {
        return deflater == null && connectionDeflater == null;
    }

    /** Whether the connection holds a deflate stream of its own (context takeover), for tests and the idle timer. */
    boolean holdsStream() {
        return connectionDeflater != null;
    }

    /**
     * The frame to write for {@code frame}: a compressed frame (which then owns a new buffer; {@code frame} is
     * released) or {@code frame} itself when it goes uncompressed.
     *
     * @param now the caller's clock, for the idle release
     */
    WebSocketFrame encode(ByteBufAllocator alloc, WebSocketFrame frame, long now) {
        if (frame.isControl()) {
            return frame;
        }
        if (frame.isContinuation()) {
            if (deflater == null) {
                return frame;
            }
        } else {
            if (!startsCompressedMessage(frame, threshold)) {
                return frame; // compressed by the application itself, or too small to gain
            }
            deflater = keepsContext ? connectionDeflater() : huffmanOnly
                    ? SharedZlibStreams.current().borrowHuffmanOnlyDeflater()
                    : SharedZlibStreams.current().borrowDeflater(level);
        }
        ByteBuf compressed;
        try {
            compressed = compress(alloc, frame.content(), frame.isFinal());
        } catch (Throwable t) {
            abortMessage();
            throw t;
        }
        WebSocketFrame out = new WebSocketFrame(frame.opcode(), frame.isFinal(), !frame.isContinuation(), compressed);
        frame.release();
        if (frame.isFinal()) {
            finish(now);
        }
        return out;
    }

    private Deflater connectionDeflater() {
        if (connectionDeflater == null) {
            connectionDeflater = new Deflater(level, true);
        }
        return connectionDeflater;
    }

    /**
     * Compresses {@code payload} into a new buffer ending with a sync flush, without its tail when {@code last}.
     * An empty frame after a sync-flushed one makes no output at all (zlib has nothing to flush); as the last frame
     * it carries one zero byte, which with the tail the receiver appends ({@code 00 00 00 ff ff}) is a whole empty
     * stored block. Without it the receiver's tail would be only the start of one, and a receiver that keeps its
     * context would read its next message as the rest of that block.
     */
    private ByteBuf compress(ByteBufAllocator alloc, ByteBuf payload, boolean last) {
        ByteBuf out = alloc.buffer(payload.readableBytes() / 2 + 64);
        try {
            compressInto(out, payload, last);
            return out;
        } catch (Throwable t) {
            out.release();
            throw t;
        }
    }

    private void compressInto(ByteBuf out, ByteBuf payload, boolean last) {
        Deflater z = deflater;
        int length = payload.readableBytes();
        if (length > 0) {
            for (ByteBuffer input : payload.nioBuffers()) {
                z.setInput(input);
                while (!z.needsInput()) {
                    deflate(z, out, Deflater.NO_FLUSH);
                }
            }
        }
        // A full buffer may mean more output is pending: flush again with more room (Deflater's contract).
        while (deflate(z, out, Deflater.SYNC_FLUSH)) {
            out.ensureWritable(out.capacity());
        }
        if (last && out.isReadable()) {
            int end = out.writerIndex() - 4;
            if (end < 0 || out.getInt(end) != TAIL) {
                throw new IllegalStateException("sync flush did not end with 00 00 ff ff");
            }
            out.writerIndex(end);
        } else if (last) {
            out.writeByte(0);
        }
    }

    /** One deflate call into {@code out}'s free space, growing it first if it has little; true if it filled it. */
    private static boolean deflate(Deflater z, ByteBuf out, int flush) {
        out.ensureWritable(64);
        int at = out.writerIndex();
        int space = out.writableBytes();
        int n = z.deflate(out.internalNioBuffer(at, space), flush);
        out.writerIndex(at + n);
        return n == space;
    }

    private void finish(long now) {
        Deflater z = deflater;
        deflater = null;
        if (z == connectionDeflater) {
            lastUsed = now;
        } else if (huffmanOnly) {
            SharedZlibStreams.current().giveBackHuffmanOnly(z);
        } else {
            SharedZlibStreams.current().giveBack(z, level);
        }
    }

    /**
     * Ends the connection's stream if it has not compressed a message since {@code idleSince} (and is not in the
     * middle of one).
     *
     * @return whether the connection still holds a stream
     */
    boolean releaseIfIdle(long idleSince) {
        if (connectionDeflater != null && deflater == null && lastUsed - idleSince <= 0) {
            connectionDeflater.end();
            connectionDeflater = null;
        }
        return connectionDeflater != null;
    }

    /** When the connection's stream last finished a message. */
    long lastUsed() {
        return lastUsed;
    }

    /**
     * Ends the stream of a message that failed part-way: its state is that of a message the peer never got whole,
     * so it is neither given back to the pool nor kept for the connection's next message.
     */
    private void abortMessage() {
        Deflater z = deflater;
        deflater = null;
        if (z != null) {
            z.end();
            if (z == connectionDeflater) {
                connectionDeflater = null;
            }
        }
    }

    /** Gives back or ends every stream: after this no zlib memory is held. May be called again. */
    void close() {
        Deflater z = deflater;
        deflater = null;
        if (z != null && z != connectionDeflater) {
            z.end();
        }
        if (connectionDeflater != null) {
            connectionDeflater.end();
            connectionDeflater = null;
        }
    }
}
