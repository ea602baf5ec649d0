package dev.wsnetty.netty.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BufferCopy} copies exactly the range asked, from every kind of source, and refuses what getBytes would. */
class BufferCopyTest {
    private static final byte[] DATA = new byte[40];

    static {
        for (int i = 0; i < DATA.length; i++) {
            DATA[i] = (byte) (i * 7 + 1);
        }
    }

    @Test
    void copiesTheRangeFromEveryKindOfSourceIntoEveryKindOfDestination() {
        for (ByteBuf src : sources()) {
            for (ByteBuf dst : List.of(PooledByteBufAllocator.DEFAULT.directBuffer(64),
                    PooledByteBufAllocator.DEFAULT.directBuffer(64).slice(3, 40), Unpooled.buffer(64))) {
                try {
                    BufferCopy.copy(src, src.readerIndex() + 5, dst, 2, 30);
                    byte[] copied = ByteBufUtil.getBytes(dst, 2, 30);
                    byte[] expected = new byte[30];
                    System.arraycopy(DATA, 5, expected, 0, 30);
                    assertArrayEquals(expected, copied, src + " -> " + dst);
                } finally {
                    dst.release();
                }
            }
            src.release();
        }
    }

    @Test
    void putsAHeaderBigEndianAndThePayloadBehindIt() {
        ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeBytes(DATA);
        ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeZero(64);
        try {
            assertTrue(BufferCopy.putHeaderAndCopy(dst, 3, 0x827E0010, 4, src, 2, 16));
            byte[] expected = new byte[20];
            expected[0] = (byte) 0x82;
            expected[1] = 0x7E;
            expected[2] = 0x00;
            expected[3] = 0x10;
            System.arraycopy(DATA, 2, expected, 4, 16);
            assertArrayEquals(expected, ByteBufUtil.getBytes(dst, 3, 20));
            assertTrue(BufferCopy.putHeaderAndCopy(dst, 0, 0x8205, 2, src, 0, 0));
            assertArrayEquals(new byte[] {(byte) 0x82, 0x05}, ByteBufUtil.getBytes(dst, 0, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> BufferCopy.putHeaderAndCopy(dst, 50, 0x8205, 2, src, 0, 13));
            ByteBuf heap = Unpooled.buffer(8);
            assertFalse(BufferCopy.putHeaderAndCopy(heap, 0, 0x8201, 2, src, 0, 1), "no address: the caller writes");
            assertEquals(0, heap.getByte(0));
        } finally {
            src.release();
            dst.release();
        }
    }

    @Test
    void refusesARangeOutsideEitherBufferAndAReleasedBuffer() {
        ByteBuf src = PooledByteBufAllocator.DEFAULT.directBuffer(16).writeZero(16);
        ByteBuf dst = PooledByteBufAllocator.DEFAULT.directBuffer(8, 8);
        try {
            assertThrows(IndexOutOfBoundsException.class, () -> BufferCopy.copy(src, 0, dst, 0, 9));
            assertThrows(IndexOutOfBoundsException.class, () -> BufferCopy.copy(src, 10, dst, 0, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> BufferCopy.copy(src, -1, dst, 0, 4));
        } finally {
            dst.release();
        }
        ByteBuf released = PooledByteBufAllocator.DEFAULT.directBuffer(8, 8);
        released.release();
        try {
            assertThrows(IllegalReferenceCountException.class, () -> BufferCopy.copy(src, 0, released, 0, 4));
        } finally {
            src.release();
        }
    }

    private static List<ByteBuf> sources() {
        List<ByteBuf> sources = new ArrayList<>();
        sources.add(PooledByteBufAllocator.DEFAULT.directBuffer(64).writeBytes(DATA));
        sources.add(Unpooled.wrappedBuffer(DATA));
        ByteBuf offset = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeZero(3).writeBytes(DATA);
        sources.add(offset.skipBytes(3));
        sources.add(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(DATA, 0, 20), Unpooled.wrappedBuffer(DATA, 20, 20)));
        return sources;
    }
}
