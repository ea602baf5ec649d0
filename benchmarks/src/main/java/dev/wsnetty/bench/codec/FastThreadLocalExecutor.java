package dev.wsnetty.bench.codec;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor JMH runs the benchmark threads on (selected with {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=...} in each benchmark's {@code @Fork}): Netty {@code FastThreadLocalThread}s, as
 * event loop threads are. Netty 4.2 recycles buffer objects (and the pooled allocator keeps its
 * thread caches) only on such threads, so on JMH's plain threads every pooled buffer would cost a new
 * object (about 144 B) that it never costs on an event loop, skewing B/op against whichever codec
 * allocates more buffers.
 */
public final class FastThreadLocalExecutor extends ThreadPoolExecutor {
    /** The constructor JMH calls: a fixed pool of {@code threads} threads named after {@code prefix}. */
    public FastThreadLocalExecutor(int threads, String prefix) {
        super(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new DefaultThreadFactory(prefix, true));
    }
}
