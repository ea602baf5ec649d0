package dev.wsnetty.netty.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MaskingTest {
    private static final int KEY = 0x37FA213D;
    /** Every length up to 200 (all tails, all unrolled-loop remainders), and a few large ones. */
    private static final int[] LENGTHS = IntStream.concat(IntStream.rangeClosed(0, 200),
            IntStream.of(1023, 1024, 1025, 4099)).toArray();
    /** Where the masked range starts in the buffer: every alignment of an 8-byte step. */
    private static final int ALIGNMENTS = 8;

    @Test
    void unmaskInPlaceMatchesTheByteLoopForEveryLengthAlignmentRotationAndBufferKind() {
        Random random = new Random(1);
        for (int length : LENGTHS) {
            for (int at = 0; at < ALIGNMENTS; at++) {
                int rotation = (length + at) & 3; // every rotation meets every alignment across the lengths
                byte[] data = new byte[at + length + 5];
                random.nextBytes(data);
                byte[] expected = data.clone();
                naiveXor(expected, at, length, KEY, rotation);
                for (ByteBuf buf : buffers(data)) {
                    if (buf.isReadOnly()) {
                        buf.release();
                        continue;
                    }
                    Masking.unmaskInPlace(buf, buf.readerIndex() + at, length, Masking.rotate(KEY, rotation));
                    assertArrayEquals(expected, ByteBufUtil.getBytes(buf),
                            "length " + length + " at " + at + " rotation " + rotation + " " + buf);
                    assertEquals(0, buf.readerIndex());
                    buf.release();
                }
            }
        }
    }

    @Test
    void copyMaskedMatchesTheByteLoopAndLeavesTheSourceAlone() {
        Random random = new Random(2);
        for (int length : LENGTHS) {
            for (int at = 0; at < ALIGNMENTS; at++) {
                int rotation = (length + at) & 3;
                byte[] data = new byte[at + length + 2];
                random.nextBytes(data);
                byte[] expected = Arrays.copyOfRange(data, at, at + length);
                naiveXor(expected, 0, length, KEY, rotation);
                int dstAt = 7 - at;
                for (ByteBuf src : buffers(data)) {
                    for (ByteBuf dst : destinations(dstAt + length)) {
                        Masking.copyMasked(src, at, dst, dstAt, length, Masking.rotate(KEY, rotation));
                        assertArrayEquals(expected, ByteBufUtil.getBytes(dst, dstAt, length),
                                "length " + length + " at " + at + " from " + src + " to " + dst);
                        assertArrayEquals(data, ByteBufUtil.getBytes(src), "source must not change");
                        dst.release();
                    }
                    src.release();
                }
            }
        }
    }

    @Test
    void copyMaskedBetweenTwoPartsOfOneBufferLeavesTheSourcePartAlone() {
        byte[] data = new byte[300];
        new Random(4).nextBytes(data);
        byte[] expected = Arrays.copyOfRange(data, 0, 100);
        naiveXor(expected, 0, 100, KEY, 0);
        for (ByteBuf root : new ByteBuf[] {Unpooled.directBuffer(300), Unpooled.buffer(300)}) {
            root.writeBytes(data);
            // Slices of one root share its NIO view, which holds one range at a time.
            Masking.copyMasked(root.slice(0, 100), 0, root.slice(150, 100), 0, 100, KEY);
            assertArrayEquals(expected, ByteBufUtil.getBytes(root, 150, 100));
            assertArrayEquals(Arrays.copyOfRange(data, 0, 100), ByteBufUtil.getBytes(root, 0, 100));
            root.release();
        }
    }

    @Test
    void aRangeOutsideTheBufferIsRejectedBeforeAnyByteIsWritten() {
        for (ByteBuf buf : new ByteBuf[] {Unpooled.directBuffer(16, 16), Unpooled.buffer(16, 16),
                PooledByteBufAllocator.DEFAULT.directBuffer(16, 16), PooledByteBufAllocator.DEFAULT.heapBuffer(16, 16)}) {
            buf.writeZero(16);
            assertThrows(IndexOutOfBoundsException.class, () -> Masking.unmaskInPlace(buf, 9, 8, KEY), buf.toString());
            assertThrows(IndexOutOfBoundsException.class, () -> Masking.unmaskInPlace(buf, -1, 8, KEY), buf.toString());
            ByteBuf small = Unpooled.directBuffer(4, 4);
            assertThrows(IndexOutOfBoundsException.class, () -> Masking.copyMasked(buf, 0, small, 0, 8, KEY));
            small.release();
            assertArrayEquals(new byte[16], ByteBufUtil.getBytes(buf), "nothing may be written " + buf);
            buf.release();
        }
    }

    @Test
    void aReleasedBufferIsRejected() {
        for (ByteBuf buf : new ByteBuf[] {Unpooled.directBuffer(16), Unpooled.buffer(16)}) {
            buf.writeZero(16).release();
            assertThrows(IllegalReferenceCountException.class, () -> Masking.unmaskInPlace(buf, 0, 16, KEY));
        }
    }

    @Test
    void maskingInPiecesEqualsMaskingAtOnce() {
        byte[] data = new byte[1000];
        new Random(3).nextBytes(data);
        byte[] expected = data.clone();
        naiveXor(expected, 0, data.length, KEY, 0);
        ByteBuf buf = Unpooled.wrappedBuffer(data.clone());
        int[] cuts = {0, 1, 2, 7, 8, 13, 100, 101, 555, 999, 1000};
        for (int i = 0; i + 1 < cuts.length; i++) {
            Masking.unmaskInPlace(buf, cuts[i], cuts[i + 1] - cuts[i], Masking.rotate(KEY, cuts[i]));
        }
        assertArrayEquals(expected, ByteBufUtil.getBytes(buf));
        buf.release();
    }

    @Test
    void zeroMaskChangesNothing() {
        byte[] data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        ByteBuf buf = Unpooled.wrappedBuffer(data.clone());
        Masking.unmaskInPlace(buf, 0, data.length, 0);
        assertArrayEquals(data, ByteBufUtil.getBytes(buf));
        ByteBuf dst = Unpooled.buffer(9);
        Masking.copyMasked(buf, 0, dst, 0, 9, 0);
        assertArrayEquals(data, ByteBufUtil.getBytes(dst, 0, 9));
        buf.release();
        dst.release();
    }

    @Test
    void rotateStartsTheKeyAtTheRightByte() {
        assertEquals(KEY, Masking.rotate(KEY, 0));
        assertEquals(0xFA213D37, Masking.rotate(KEY, 1));
        assertEquals(0x213D37FA, Masking.rotate(KEY, 2));
        assertEquals(0x3D37FA21, Masking.rotate(KEY, 3));
        assertEquals(KEY, Masking.rotate(KEY, 1L << 40));
    }

    private static void naiveXor(byte[] data, int from, int length, int key, int offset) {
        for (int i = 0; i < length; i++) {
            data[from + i] ^= (byte) (key >>> (24 - 8 * ((offset + i) & 3)));
        }
    }

    /** Every kind of buffer the codec meets, each holding {@code bytes} from its index 0. */
    private static ByteBuf[] buffers(byte[] bytes) {
        int half = bytes.length / 2;
        byte[] padded = new byte[bytes.length + 6];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        return new ByteBuf[] {
            Unpooled.wrappedBuffer(bytes.clone()),
            Unpooled.wrappedBuffer(padded, 3, bytes.length).slice(), // a heap buffer at an array offset
            Unpooled.directBuffer(bytes.length).writeBytes(bytes),
            // Pooled buffers are parts of larger memory: a heap one has a non-zero array offset.
            PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes),
            PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length).writeBytes(bytes),
            Unpooled.compositeBuffer().addComponent(true,
                    Unpooled.directBuffer(bytes.length + 5).writeZero(5).writeBytes(bytes).slice(5, bytes.length)),
            Unpooled.compositeBuffer()
                    .addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, half)))
                    .addComponent(true, Unpooled.directBuffer().writeBytes(bytes, half, bytes.length - half)),
            // Derived buffers: a slice at an offset, a duplicate and a read-only view of direct memory.
            Unpooled.directBuffer(bytes.length + 7).writeZero(3).writeBytes(bytes).writeZero(4).slice(3, bytes.length),
            Unpooled.directBuffer(bytes.length).writeBytes(bytes).duplicate(),
            Unpooled.directBuffer(bytes.length).writeBytes(bytes).asReadOnly(),
        };
    }

    /** Every kind of buffer the codec copies into, empty, with room for {@code capacity} bytes. */
    private static ByteBuf[] destinations(int capacity) {
        return new ByteBuf[] {
            Unpooled.buffer(capacity),
            Unpooled.directBuffer(capacity),
            PooledByteBufAllocator.DEFAULT.directBuffer(capacity),
            PooledByteBufAllocator.DEFAULT.heapBuffer(capacity),
            // A composite's components are their readable bytes, so they are filled (with zeros) first.
            Unpooled.compositeBuffer().addComponents(Unpooled.directBuffer(capacity / 2).writeZero(capacity / 2),
                    Unpooled.buffer(capacity - capacity / 2).writeZero(capacity - capacity / 2)),
        };
    }
}
