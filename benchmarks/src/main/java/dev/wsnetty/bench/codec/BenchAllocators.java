package dev.wsnetty.bench.codec;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/** The allocators a benchmark can be parameterised with, by name. */
public final class BenchAllocators {
    private BenchAllocators() {
    }

    /**
     * The allocator called {@code name}: {@code pooled} (Netty's pooled allocator preferring direct
     * buffers, with thread-local caches on every thread, because JMH's threads are not Netty event loop
     * threads and 4.2 otherwise gives caches to those only) or {@code adaptive} (4.2's default allocator).
     */
    public static ByteBufAllocator named(String name) {
        switch (name) {
            case "pooled":
                return new PooledByteBufAllocator(true,
                        PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
                        PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
                        PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
                        true);
            case "adaptive":
                return new AdaptiveByteBufAllocator(true);
            default:
                throw new IllegalArgumentException("unknown allocator '" + name + "' (pooled or adaptive)");
        }
    }
}
