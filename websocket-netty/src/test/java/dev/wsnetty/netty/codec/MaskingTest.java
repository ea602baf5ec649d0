package dev.wsnetty.netty.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MaskingTest {
    private static final int KEY = 0x37FA213D;
    private static final int[] LENGTHS = java.util.stream.IntStream.concat(java.util.stream.IntStream.rangeClosed(0, 70),
            java.util.stream.IntStream.of(1023, 1024, 1025, 4099)).toArray();

    @Test
    void unmaskInPlaceMatchesTheByteLoopForEveryLengthOffsetAndBufferKind() {
        Random random = new Random(1);
        for (int length : LENGTHS) {
            for (int offset = 0; offset < 4; offset++) {
                byte[] data = new byte[length + 5];
                random.nextBytes(data);
                byte[] expected = data.clone();
                naiveXor(expected, 3, length, KEY, offset);
                for (ByteBuf buf : buffers(data)) {
                    if (buf.isReadOnly()) {
                        buf.release();
                        continue;
                    }
                    Masking.unmaskInPlace(buf, buf.readerIndex() + 3, length, Masking.rotate(KEY, offset));
                    assertArrayEquals(expected, ByteBufUtil.getBytes(buf), "length " + length + " offset " + offset + " " + buf);
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
            for (int offset = 0; offset < 4; offset++) {
                byte[] data = new byte[length + 2];
                random.nextBytes(data);
                byte[] expected = Arrays.copyOfRange(data, 2, 2 + length);
                naiveXor(expected, 0, length, KEY, offset);
                for (ByteBuf src : buffers(data)) {
                    for (ByteBuf dst : new ByteBuf[] {Unpooled.buffer(length + 1), Unpooled.directBuffer(length + 1)}) {
                        Masking.copyMasked(src, 2, dst, 1, length, Masking.rotate(KEY, offset));
                        assertArrayEquals(expected, ByteBufUtil.getBytes(dst, 1, length));
                        assertArrayEquals(data, ByteBufUtil.getBytes(src), "source must not change");
                        dst.release();
                    }
                    src.release();
                }
            }
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

    private static ByteBuf[] buffers(byte[] bytes) {
        int half = bytes.length / 2;
        return new ByteBuf[] {
            Unpooled.wrappedBuffer(bytes.clone()),
            Unpooled.directBuffer(bytes.length).writeBytes(bytes),
            Unpooled.compositeBuffer()
                    .addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, half)))
                    .addComponent(true, Unpooled.directBuffer().writeBytes(bytes, half, bytes.length - half)),
            // Derived buffers: a slice at an offset, a duplicate and a read-only view of direct memory.
            Unpooled.directBuffer(bytes.length + 7).writeZero(3).writeBytes(bytes).writeZero(4).slice(3, bytes.length),
            Unpooled.directBuffer(bytes.length).writeBytes(bytes).duplicate(),
            Unpooled.directBuffer(bytes.length).writeBytes(bytes).asReadOnly(),
        };
    }
}
