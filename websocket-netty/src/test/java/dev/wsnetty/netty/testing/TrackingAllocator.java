package dev.wsnetty.netty.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An unpooled allocator that remembers every buffer it hands out, so a test can prove that the handler
 * released each of them (pooled buffers are reused, so their reference counts prove nothing afterwards),
 * and how much memory was asked for.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();
    private long bytesAllocated;
    private int largestAllocation;

    /** An allocator whose {@code buffer()} gives direct buffers when {@code preferDirect}, heap buffers otherwise. */
    public TrackingAllocator(boolean preferDirect) {
        super(preferDirect);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    private ByteBuf track(ByteBuf buf) {
        allocated.add(buf);
        bytesAllocated += buf.capacity();
        largestAllocation = Math.max(largestAllocation, buf.capacity());
        return buf;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** How many buffers were allocated so far. */
    public int count() {
        return allocated.size();
    }

    /** The initial capacities of all buffers allocated so far, added up (growth by reallocation is not counted). */
    public long bytesAllocated() {
        return bytesAllocated;
    }

    /** The largest initial capacity asked for so far. */
    public int largestAllocation() {
        return largestAllocation;
    }

    /** Asserts that every buffer allocated so far has been released. */
    public void assertAllReleased() {
        for (int i = 0; i < allocated.size(); i++) {
            assertEquals(0, allocated.get(i).refCnt(), "allocation #" + i + " was not released");
        }
    }
}
