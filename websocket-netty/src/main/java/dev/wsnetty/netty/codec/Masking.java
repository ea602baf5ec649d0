package dev.wsnetty.netty.codec;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The XOR kernel of RFC 6455 §5.3 masking, shared by the decoder (unmask), the encoder (mask) and the
 * benchmarks. Masking is its own inverse, so one kernel serves both directions.
 *
 * <p>A mask is the 4-byte key as a big-endian {@code int}: byte {@code i} of a frame payload is XORed
 * with key byte {@code i % 4}. To process a payload that arrives in pieces, pass
 * {@link #rotate(int, long) rotate(mask, bytesAlreadyProcessed)} for each later piece.
 *
 * <p>The work is done 8 bytes per step over one NIO view of each buffer, read in native byte order: one
 * range check per buffer instead of one per {@code ByteBuf.getLong}, and no byte swapping. A mask of zero
 * is skipped. Buffers without a single NIO view (composites) take a slower {@code getLong/setLong} path.
 * No method changes reader or writer indices.
 */
public final class Masking {
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

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
        if (buf.nioBufferCount() == 1) {
            ByteBuffer nio = buf.internalNioBuffer(index, length);
            int position = nio.position();
            xor(nio, position, nio, position, length, mask);
        } else {
            xorByteBuf(buf, index, buf, index, length, mask);
        }
    }

    /**
     * Copies {@code length} bytes from {@code src} at {@code srcIndex} to {@code dst} at {@code dstIndex},
     * XORing them with {@code mask} on the way (one pass). {@code src} is not modified, so it may be
     * shared; {@code dst} must have room (its capacity, not its writer index, is the limit).
     */
    public static void copyMasked(ByteBuf src, int srcIndex, ByteBuf dst, int dstIndex, int length, int mask) {
        if (length == 0) {
            return;
        }
        if (mask == 0) {
            dst.setBytes(dstIndex, src, srcIndex, length);
            return;
        }
        if (src.nioBufferCount() == 1 && dst.nioBufferCount() == 1) {
            ByteBuffer from = src.internalNioBuffer(srcIndex, length);
            int fromPosition = from.position();
            ByteBuffer to = dst.internalNioBuffer(dstIndex, length);
            // Derived buffers of one root share its internal view; the second call has moved its limits.
            if (from != to) {
                xor(from, fromPosition, to, to.position(), length, mask);
                return;
            }
        }
        xorByteBuf(src, srcIndex, dst, dstIndex, length, mask);
    }

    /** The masking key repeated twice, laid out as a {@code long} read in {@code order}. */
    private static long longMask(int mask, ByteOrder order) {
        long bigEndian = ((long) mask << 32) | (mask & 0xFFFFFFFFL);
        return order == ByteOrder.BIG_ENDIAN ? bigEndian : Long.reverseBytes(bigEndian);
    }

    private static void xor(ByteBuffer from, int fromIndex, ByteBuffer to, int toIndex, int length, int mask) {
        // Internal views are shared by the buffer's own code: switch them to native order only for the loop.
        ByteOrder fromOrder = from.order();
        ByteOrder toOrder = to.order();
        from.order(NATIVE);
        to.order(NATIVE);
        long longMask = longMask(mask, NATIVE);
        int i = 0;
        for (int end = length - 7; i < end; i += 8) {
            to.putLong(toIndex + i, from.getLong(fromIndex + i) ^ longMask);
        }
        for (; i < length; i++) {
            to.put(toIndex + i, (byte) (from.get(fromIndex + i) ^ maskByte(mask, i)));
        }
        to.order(toOrder);
        from.order(fromOrder);
    }

    private static void xorByteBuf(ByteBuf from, int fromIndex, ByteBuf to, int toIndex, int length, int mask) {
        long longMask = longMask(mask, ByteOrder.BIG_ENDIAN);
        int i = 0;
        for (int end = length - 7; i < end; i += 8) {
            to.setLong(toIndex + i, from.getLong(fromIndex + i) ^ longMask);
        }
        for (; i < length; i++) {
            to.setByte(toIndex + i, from.getByte(fromIndex + i) ^ maskByte(mask, i));
        }
    }

    /** The key byte applied to payload byte {@code i} (big-endian: byte 0 is the most significant). */
    private static int maskByte(int mask, int i) {
        return mask >>> (24 - ((i & 3) << 3));
    }
}
