package dev.wsnetty.spi;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: a connection's listener calls never overlap
 * while many connections share few threads. At most one drain task per instance is in the shared executor.
 */
final class SerialExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor backing;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor backing) {
        this.backing = backing;
    }

    /** Queues {@code task}; never blocks and never throws (a rejection by the shared executor is logged). */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        scheduleIfIdle();
    }

    private void scheduleIfIdle() {
        // Re-checked after every drain: a task added between the drain's last poll and the flag reset is not stranded.
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                backing.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.log(System.Logger.Level.ERROR, "listener executor rejected a task; "
                        + tasks.size() + " listener call(s) dropped", e);
                tasks.clear();
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    LOG.log(System.Logger.Level.ERROR, "listener task failed", t);
                }
            }
        } finally {
            scheduled.set(false);
            scheduleIfIdle();
        }
    }
}
