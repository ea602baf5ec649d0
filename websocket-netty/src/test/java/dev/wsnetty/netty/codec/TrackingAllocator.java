package dev.wsnetty.netty.codec;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An unpooled allocator that remembers every buffer it hands out, so a test can prove that the handler
 * released each of them (pooled buffers are reused, so their reference counts prove nothing afterwards).
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator(boolean preferDirect) {
        super(preferDirect);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** How many buffers were allocated so far. */
    int count() {
        return allocated.size();
    }

    /** Asserts that every buffer allocated so far has been released. */
    void assertAllReleased() {
        for (int i = 0; i < allocated.size(); i++) {
            assertEquals(0, allocated.get(i).refCnt(), "allocation #" + i + " was not released");
        }
    }
}
