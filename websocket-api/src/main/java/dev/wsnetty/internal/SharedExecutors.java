package dev.wsnetty.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide executors and thread factories wsnetty's blocking API runs on, created on first use and never
 * shut down (their threads are daemons, so they do not keep the JVM alive).
 */
public final class SharedExecutors {
    /** How long an idle pooled platform thread lives before it is retired: 60 s. */
    public static final long IDLE_THREAD_KEEP_ALIVE_SECONDS = 60;

    private SharedExecutors() {
    }

    /**
     * The default executor behind every connection's listener calls: a new virtual thread per task (threads named
     * {@code wsnetty-listener-N}) when the JVM has them, else an unbounded pool of daemon platform threads with
     * the same names that retires threads idle for 60 s. Each connection runs its calls one at a time on it.
     */
    public static Executor listenerExecutor() {
        return ListenerHolder.EXECUTOR;
    }

    /**
     * A factory of daemon platform threads named {@code prefix + n} (n = 1, 2, ...).
     *
     * @param prefix the name prefix, e.g. {@code "wsnetty-handler-"}
     */
    public static ThreadFactory platformThreadFactory(String prefix) {
        AtomicLong counter = new AtomicLong();
        return task -> {
            Thread t = new Thread(task, prefix + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * An unbounded pool of threads from {@code factory} that reuses idle threads and retires those idle for
     * {@link #IDLE_THREAD_KEEP_ALIVE_SECONDS}. A task that throws does not lose the pool a thread for good: the
     * pool replaces it.
     */
    public static Executor cachedPool(ThreadFactory factory) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory);
    }

    /** An executor that starts a new thread from {@code factory} for every task. */
    public static Executor threadPerTask(ThreadFactory factory) {
        return task -> factory.newThread(task).start();
    }

    private static final class ListenerHolder {
        static final Executor EXECUTOR = VirtualThreads.isAvailable()
                ? threadPerTask(VirtualThreads.newFactory("wsnetty-listener-"))
                : cachedPool(platformThreadFactory("wsnetty-listener-"));
    }
}
