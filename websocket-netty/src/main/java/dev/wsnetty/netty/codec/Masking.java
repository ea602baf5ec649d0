package dev.wsnetty.netty.codec;

import io.netty.buffer.ByteBuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <p>Work is done 8 bytes per step and allocates nothing: in place with {@code getLong/setLong} on the
 * buffer; when copying, reading the source's array or NIO view (root buffers, their duplicates, heap
 * buffers) and writing the destination with {@code setLong}, other sources (composites) with
 * {@code getLong}. A zero mask is skipped. No method changes reader or writer indices.
 */
public final class Masking {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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
        // getLong/setLong on the buffer itself: measured faster in place than a loop over its NIO view
        // (MaskingBenchmark), and it allocates nothing for any kind of buffer.
        xorByteBuf(buf, index, buf, index, length, mask);
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
        long longMask = bigEndian(mask);
        int i = 0;
        int end = length - 7;
        // The destination is written with setLong: a NIO view of a freshly allocated buffer would be a new
        // object per call for some allocators. Everything is big-endian, as setLong is.
        if (src.hasArray()) {
            byte[] array = src.array();
            int at = src.arrayOffset() + srcIndex;
            for (; i < end; i += 8) {
                dst.setLong(dstIndex + i, (long) LONGS.get(array, at + i) ^ longMask);
            }
        } else {
            ByteBuffer nio = NioViews.view(src, srcIndex, length);
            if (nio != null) {
                ByteOrder order = nio.order();
                nio.order(ByteOrder.BIG_ENDIAN);
                int at = nio.position();
                for (; i < end; i += 8) {
                    dst.setLong(dstIndex + i, nio.getLong(at + i) ^ longMask);
                }
                nio.order(order);
            }
        }
        xorByteBuf(src, srcIndex + i, dst, dstIndex + i, length - i, mask); // the tail, or everything if no view
    }

    /** The masking key repeated twice, big-endian. */
    private static long bigEndian(int mask) {
        return ((long) mask << 32) | (mask & 0xFFFFFFFFL);
    }

    /** The plain ByteBuf loop; {@code mask} applies from the first byte (call at multiples of 4 only). */
    private static void xorByteBuf(ByteBuf from, int fromIndex, ByteBuf to, int toIndex, int length, int mask) {
        long longMask = bigEndian(mask);
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
