package dev.wsnetty.netty.internal.codec;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/**
 * The XOR kernel of RFC 6455 §5.3 masking, shared by the decoder (unmask), the encoder (mask) and the
 * benchmarks. Masking is its own inverse, so one kernel serves both directions.
 *
 * <p>A mask is the 4-byte key as a big-endian {@code int}: byte {@code i} of a frame payload is XORed
 * with key byte {@code i % 4}. To process a payload that arrives in pieces, pass
 * {@link #rotate(int, long) rotate(mask, bytesAlreadyProcessed)} for each later piece.
 *
 * <p>Nothing is allocated. The range is checked once per call, then a loop over the buffer's raw memory,
 * array or NIO view masks it with SIMD instructions ({@link XorLoops}): pooled direct buffers, the case on
 * a socket, are masked at about the speed of a copy. A zero mask is skipped. No method changes reader or
 * writer indices.
 */
public final class Masking {
    private Masking() {
    }

    /**
     * The mask to use for a piece of payload that starts {@code offset} bytes into the frame.
     *
     * @param mask the frame's masking key (big-endian int)
     * @param offset how many payload bytes of the frame came before the piece
     */
    public static int rotate(int mask, long offset) {
        return Integer.rotateLeft(mask, ((int) offset & 3) << 3);
    }

    /**
     * XORs {@code length} bytes of {@code buf} from {@code index} with {@code mask}, in place.
     * {@code buf} must be writable.
     */
    public static void unmaskInPlace(ByteBuf buf, int index, int length, int mask) {
        if (mask == 0 || length == 0) {
            return;
        }
        if (!buf.isReadOnly()) { // a read-only view may still expose the memory or array it may not write
            if (XorLoops.hasUnsafe() && buf.hasMemoryAddress()) {
                BufferCopy.checkRange(buf, index, length);
                XorLoops.memory(buf.memoryAddress() + index, length, mask);
                return;
            }
            if (buf.hasArray()) {
                // The JVM checks the array's bounds, but a pooled buffer is only a part of its array.
                BufferCopy.checkRange(buf, index, length);
                XorLoops.array(buf.array(), buf.arrayOffset() + index, length, mask);
                return;
            }
            ByteBuffer view = NioViews.view(buf, index, length); // checks the range itself
            if (view != null) {
                XorLoops.nio(view, view.position(), length, mask);
                return;
            }
        }
        XorLoops.byteBuf(buf, index, length, mask);
    }

    /**
     * Copies {@code length} bytes from {@code src} at {@code srcIndex} to {@code dst} at {@code dstIndex},
     * XORing them with {@code mask} on the way. {@code src} is not modified, so it may be shared;
     * {@code dst} must have room (its capacity, not its writer index, is the limit).
     */
    public static void copyMasked(ByteBuf src, int srcIndex, ByteBuf dst, int dstIndex, int length, int mask) {
        // A copy then masking in place, rather than one pass: the JIT vectorizes each of the two, but not
        // a loop that reads one buffer and writes another, which it cannot prove do not overlap.
        BufferCopy.copy(src, srcIndex, dst, dstIndex, length);
        unmaskInPlace(dst, dstIndex, length, mask);
    }
}
