package dev.wsnetty.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: a connection's listener calls never overlap
 * while many connections share few threads. At most one drain task per instance is in the shared executor.
 *
 * <p>Every connection has one, and an idle connection has no listener call to run: the queue is created by the
 * first task, and the scheduled flag is a field rather than an object of its own.
 *
 * <p>Used for a communicator's listener calls and for a reconnecting client's events. A task that throws is logged
 * and the next one runs; a rejection by the shared executor is logged with the count of calls it drops.
 */
public final class SerialExecutor implements Executor {
    private static final Log LOG = Log.of(SerialExecutor.class);
    private static final VarHandle TASKS;
    private static final VarHandle SCHEDULED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TASKS = lookup.findVarHandle(SerialExecutor.class, "tasks", Queue.class);
            SCHEDULED = lookup.findVarHandle(SerialExecutor.class, "scheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Executor backing;
    /** Null until the first task. */
    private volatile Queue<Runnable> tasks;
    /** Whether a drain task is in the shared executor. */
    private volatile boolean scheduled;

    /** @param backing the shared executor that runs the drain tasks */
    public SerialExecutor(Executor backing) {
        this.backing = backing;
    }

    /** Queues {@code task}; never blocks and never throws (a rejection by the shared executor is logged). */
    @Override
    public void execute(Runnable task) {
        Queue<Runnable> queue = tasks;
        if (queue == null) {
            queue = new ConcurrentLinkedQueue<>();
            if (!TASKS.compareAndSet(this, null, queue)) {
                queue = tasks; // another thread created it first
            }
        }
        queue.add(task);
        scheduleIfIdle(queue);
    }

    private void scheduleIfIdle(Queue<Runnable> queue) {
        // Re-checked after every drain: a task added between the drain's last poll and the flag reset is not stranded.
        if (!queue.isEmpty() && SCHEDULED.compareAndSet(this, false, true)) {
            try {
                backing.execute(() -> drain(queue));
            } catch (RejectedExecutionException e) {
                scheduled = false;
                LOG.log(Log.Level.ERROR, "listener executor rejected a task; "
                        + queue.size() + " listener call(s) dropped", e);
                queue.clear();
            }
        }
    }

    private void drain(Queue<Runnable> queue) {
        try {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    LOG.log(Log.Level.ERROR, "listener task failed", t);
                }
            }
        } finally {
            scheduled = false;
            scheduleIfIdle(queue);
        }
    }
}
