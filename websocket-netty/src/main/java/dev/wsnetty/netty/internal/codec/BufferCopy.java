package dev.wsnetty.netty.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.PlatformDependent;

/**
 * Copies a small payload into the frame buffer that the encoder builds.
 *
 * <p>Why not {@code ByteBuf.setBytes(int, ByteBuf, int, int)}: between two pooled direct buffers (or slices of
 * them) Netty 4.2 copies through freshly sliced NIO views, two new {@code DirectByteBuffer}s per call. In the
 * end-to-end echo of small messages that was a third of the event loop's Java time (JFR, BENCHMARKS.md). Here a
 * copy between buffers with memory addresses is one raw memory copy, and a heap source is copied from its array.
 */
public final class BufferCopy {
    /** Whether raw memory may be copied: on JDK 24+ Netty leaves {@code Unsafe} off, yet buffers keep addresses. */
    private static final boolean UNSAFE = PlatformDependent.hasUnsafe();

    private BufferCopy() {
    }

    /** Copies {@code length} bytes; indices are not changed. {@code dst} must have room (capacity). */
    public static void copy(ByteBuf src, int srcIndex, ByteBuf dst, int dstIndex, int length) {
        if (length == 0) {
            return;
        }
        if (UNSAFE && src.hasMemoryAddress() && dst.hasMemoryAddress()) {
            checkRange(src, srcIndex, length);
            checkRange(dst, dstIndex, length);
            PlatformDependent.copyMemory(src.memoryAddress() + srcIndex, dst.memoryAddress() + dstIndex, length);
        } else if (src.hasArray()) {
            dst.setBytes(dstIndex, src.array(), src.arrayOffset() + srcIndex, length);
        } else {
            dst.setBytes(dstIndex, src, srcIndex, length);
        }
    }

    /**
     * Writes a header of {@code headerLength} (2 or 4) bytes, given big-endian in the low bytes of {@code header},
     * at {@code index} of {@code dst} and copies {@code length} bytes of {@code src} behind it, with one range check
     * per buffer (the buffer's own {@code writeShort} checks that it is live and has room on every call: a quarter
     * of the event loop's Java samples in the small echo). Indices are not changed.
     *
     * @return false, having written nothing, when the buffers have no memory addresses to write to
     */
    public static boolean putHeaderAndCopy(ByteBuf dst, int index, int header, int headerLength,
            ByteBuf src, int srcIndex, int length) {
        if (!UNSAFE || !dst.hasMemoryAddress() || length != 0 && !src.hasMemoryAddress()) {
            return false;
        }
        checkRange(dst, index, headerLength + length);
        long at = dst.memoryAddress() + index;
        for (int i = 0; i < headerLength; i++) {
            PlatformDependent.putByte(at + i, (byte) (header >>> (8 * (headerLength - 1 - i))));
        }
        if (length != 0) {
            checkRange(src, srcIndex, length);
            PlatformDependent.copyMemory(src.memoryAddress() + srcIndex, at + headerLength, length);
        }
        return true;
    }

    /**
     * What the buffer's own accessors check on every call, for code that then reads or writes raw memory: the
     * buffer is live and the range inside it.
     */
    public static void checkRange(ByteBuf buf, int index, int length) {
        if (buf.refCnt() == 0) {
            throw new IllegalReferenceCountException(0);
        }
        if ((index | length) < 0 || index > buf.capacity() - length) {
            throw new IndexOutOfBoundsException("index " + index + ", length " + length
                    + " outside the capacity " + buf.capacity() + " of " + buf);
        }
    }
}
