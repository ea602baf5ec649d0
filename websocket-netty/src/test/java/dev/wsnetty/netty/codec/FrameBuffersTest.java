package dev.wsnetty.netty.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameBuffersTest {
    @Test
    void carvedBuffersAreEmptyOfExactSizeAndDoNotOverlap() {
        PooledByteBufAllocator alloc = new PooledByteBufAllocator(true);
        List<ByteBuf> buffers = new ArrayList<>();
        // Enough to fill several arenas, so buffers from a full one and from its successor coexist.
        for (int i = 0; i < 200; i++) {
            int size = 1 + (i * 37) % 300;
            ByteBuf buf = FrameBuffers.buffer(alloc, size);
            assertEquals(0, buf.writerIndex());
            assertEquals(size, buf.capacity());
            assertEquals(size, buf.maxCapacity(), "a carved buffer cannot grow into its neighbour");
            buffers.add(buf.writeBytes(fill(size, i)));
        }
        for (int i = 0; i < buffers.size(); i++) {
            ByteBuf buf = buffers.get(i);
            assertArrayEquals(fill(buf.capacity(), i), ByteBufUtil.getBytes(buf), "buffer #" + i);
            assertThrows(IndexOutOfBoundsException.class, () -> buf.writeByte(0));
            buf.release();
        }
    }

    @Test
    void largeBuffersAndUnpooledAllocatorsAreNotCarved() {
        PooledByteBufAllocator pooled = new PooledByteBufAllocator(true);
        ByteBuf large = FrameBuffers.buffer(pooled, FrameBuffers.MAX_CARVED + 1);
        assertNotCarved(large);
        large.release();
        ByteBuf unpooled = FrameBuffers.buffer(UnpooledByteBufAllocator.DEFAULT, 10);
        assertNotCarved(unpooled);
        assertSame(UnpooledByteBufAllocator.DEFAULT, unpooled.alloc());
        unpooled.release();
    }

    @Test
    void buffersComeFromTheCallersAllocator() {
        PooledByteBufAllocator first = new PooledByteBufAllocator(true);
        PooledByteBufAllocator second = new PooledByteBufAllocator(true);
        ByteBuf a = FrameBuffers.buffer(first, 10);
        ByteBuf b = FrameBuffers.buffer(second, 10);
        assertSame(first, a.alloc());
        assertSame(second, b.alloc());
        assertNotSame(a.unwrap(), b.unwrap());
        a.release();
        b.release();
    }

    /** Not a slice of a larger buffer (the leak detector may wrap it, in a wrapper of the same capacity). */
    private static void assertNotCarved(ByteBuf buf) {
        for (ByteBuf under = buf.unwrap(); under != null; under = under.unwrap()) {
            assertEquals(buf.capacity(), under.capacity(), "allocated on its own, not a slice");
        }
    }

    private static byte[] fill(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }
}
