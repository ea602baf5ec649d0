package dev.wsnetty.netty.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The loops behind {@link Masking}: XOR a run of bytes in place with a repeating 4-byte key, given as a
 * big-endian {@code int} that applies from the first byte of the run. One loop per kind of memory, none
 * checking anything per step (the caller checks the range once), each written in a shape that C2 turns
 * into SIMD code (told by throughput on JDK 17 and 25: close to that of a copy, against 3-5x slower for
 * the scalar shapes named below):
 * <ul>
 * <li>raw memory ({@link ByteBuf#hasMemoryAddress()} with Netty's {@code Unsafe}), walked with a
 * {@code long} pointer: the same loop with an {@code int} counter added to the address is not vectorized,
 * nor is one reading from one address and writing to another (C2 cannot rule out overlap), which is why
 * masking copies are a copy followed by this loop;</li>
 * <li>{@code byte[]} through {@code Unsafe} (JDK 17 vectorizes this but not a {@code VarHandle} view) or,
 * without it, a {@code VarHandle} long view (vectorized by JDK 25, where Netty leaves {@code Unsafe} off
 * by default);</li>
 * <li>a NIO buffer, for direct buffers when Netty has no {@code Unsafe} (also vectorized by JDK 25);</li>
 * <li>any {@link ByteBuf} through {@code getLong/setLong}, which checks indices and the reference count on
 * every call: for buffers with none of the above (composites).</li>
 * </ul>
 */
final class XorLoops {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final boolean UNSAFE = PlatformDependent.hasUnsafe();

    private XorLoops() {
    }

    /** Whether {@link #memory} may be used (and {@link #array} uses {@code Unsafe}). */
    static boolean hasUnsafe() {
        return UNSAFE;
    }

    /** XORs the {@code length} bytes at raw {@code address}. */
    static void memory(long address, int length, int mask) {
        long key = nativeKey(mask);
        int words = length & ~7;
        for (long p = address, end = address + words; p < end; p += 8) {
            PlatformDependent.putLong(p, PlatformDependent.getLong(p) ^ key);
        }
        for (int i = words; i < length; i++) {
            PlatformDependent.putByte(address + i, (byte) (PlatformDependent.getByte(address + i) ^ keyByte(mask, i)));
        }
    }

    /** XORs the {@code length} bytes of {@code array} from {@code index}. */
    static void array(byte[] array, int index, int length, int mask) {
        if (UNSAFE) {
            arrayUnsafe(array, index, length, mask);
        } else {
            arrayView(array, index, length, mask);
        }
    }

    /** {@link #array} through {@code Unsafe}, which must be available. */
    static void arrayUnsafe(byte[] array, int index, int length, int mask) {
        long key = nativeKey(mask);
        int words = length & ~7;
        for (int i = index, end = index + words; i < end; i += 8) {
            PlatformDependent.putLong(array, i, PlatformDependent.getLong(array, i) ^ key);
        }
        arrayTail(array, index, words, length, mask);
    }

    /** {@link #array} through a {@code VarHandle} long view. */
    static void arrayView(byte[] array, int index, int length, int mask) {
        long key = wideKey(mask);
        int words = length & ~7;
        for (int i = index, end = index + words; i < end; i += 8) {
            LONGS.set(array, i, (long) LONGS.get(array, i) ^ key);
        }
        arrayTail(array, index, words, length, mask);
    }

    private static void arrayTail(byte[] array, int index, int from, int length, int mask) {
        for (int i = from; i < length; i++) {
            array[index + i] ^= (byte) keyByte(mask, i);
        }
    }

    /**
     * XORs the {@code length} bytes of {@code nio} from absolute {@code index}; its position, limit and
     * byte order are left as they were.
     */
    static void nio(ByteBuffer nio, int index, int length, int mask) {
        long key = wideKey(mask);
        ByteOrder order = nio.order();
        nio.order(ByteOrder.BIG_ENDIAN);
        int words = length & ~7;
        for (int i = index, end = index + words; i < end; i += 8) {
            nio.putLong(i, nio.getLong(i) ^ key);
        }
        for (int i = words; i < length; i++) {
            nio.put(index + i, (byte) (nio.get(index + i) ^ keyByte(mask, i)));
        }
        nio.order(order);
    }

    /** XORs the {@code length} bytes of {@code buf} from {@code index}, checking every access. */
    static void byteBuf(ByteBuf buf, int index, int length, int mask) {
        long key = wideKey(mask);
        int words = length & ~7;
        for (int i = index, end = index + words; i < end; i += 8) {
            buf.setLong(i, buf.getLong(i) ^ key);
        }
        for (int i = words; i < length; i++) {
            buf.setByte(index + i, buf.getByte(index + i) ^ keyByte(mask, i));
        }
    }

    /** The key repeated twice, as a big-endian long: the 8 key bytes of one step, in wire order. */
    private static long wideKey(int mask) {
        return ((long) mask << 32) | (mask & 0xFFFFFFFFL);
    }

    /** {@link #wideKey} in the platform's byte order, which raw accesses use. */
    private static long nativeKey(int mask) {
        return PlatformDependent.BIG_ENDIAN_NATIVE_ORDER ? wideKey(mask) : Long.reverseBytes(wideKey(mask));
    }

    /** The key byte applied to byte {@code i} of the run (big-endian: byte 0 is the most significant). */
    private static int keyByte(int mask, int i) {
        return mask >>> (24 - ((i & 3) << 3));
    }
}
