package dev.wsnetty;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The thread a connection's handler will run on, reserved before the connection is opened, so that a server can
 * refuse the handshake (503) when no thread can be had instead of answering 101 and then leaving the connection
 * unserved. Get one from {@link WebSocketHandler#reserveThread(Runnable)}; then either {@link #run} the
 * connection's work on it or {@link #release()} it, exactly once.
 *
 * <p>A platform thread is started at once and waits for its work (that is the reservation: thread creation, which
 * fails when the process is out of threads, has happened). A virtual thread (Java 21+) costs next to nothing and
 * is started only by {@link #run}. Thread-safe.
 */
public final class HandlerThread {
    /**
     * The {@code whenEnded} of a reservation that has nothing to give back (a virtual thread that counts against
     * no bound): {@link #run} then makes the work itself the new thread's task, so that a running thread keeps
     * neither this reservation nor a wrapper around its work (and its stack one frame less), which matters for the
     * many parked threads of idle connections.
     */
    public static final Runnable NOTHING_WHEN_ENDED = () -> { };

    /** Where {@link #run} starts the work; null when a thread was started at reservation and waits for it. */
    private final Executor onDemand;
    /** Run once on the thread after the work, or by {@link #release()} when there is none. */
    private final Runnable whenEnded;
    /** Opened when the work is handed over or the reservation released; null for an on-demand thread. */
    private final CountDownLatch handedOver;
    private final AtomicBoolean used = new AtomicBoolean();
    /** The work, written before {@link #handedOver} opens; null when released. */
    private volatile Runnable work;

    private HandlerThread(Executor onDemand, Runnable whenEnded, CountDownLatch handedOver) {
        this.onDemand = onDemand;
        this.whenEnded = whenEnded;
        this.handedOver = handedOver;
    }

    /**
     * Starts a thread from {@code executor} now, which waits for the work.
     *
     * @throws RejectedExecutionException if no thread can be started: the executor refused, or the JVM could not
     *                                    create a native thread (its {@link OutOfMemoryError} is the cause)
     */
    static HandlerThread startNow(Executor executor, Runnable whenEnded) {
        HandlerThread thread = new HandlerThread(null, Objects.requireNonNull(whenEnded, "whenEnded"),
                new CountDownLatch(1));
        try {
            executor.execute(thread::awaitWorkAndRun);
        } catch (OutOfMemoryError e) {
            // "unable to create native thread": the process is at its thread limit (ulimit -u) or out of memory
            // for stacks. Nothing was started, so there is nothing to end.
            throw new RejectedExecutionException("no handler thread could be started: " + e.getMessage(), e);
        }
        return thread;
    }

    /** A reservation that starts the work on a new thread from {@code executor} when {@link #run} is called. */
    static HandlerThread onDemand(Executor executor, Runnable whenEnded) {
        return new HandlerThread(Objects.requireNonNull(executor, "executor"),
                Objects.requireNonNull(whenEnded, "whenEnded"), null);
    }

    /**
     * A reservation that starts the work on a new thread from {@code executor} when {@link #run} is called: for a
     * server that decides where a connection's virtual thread runs only once the connection exists (on its event
     * loop, for instance). Nothing is reserved before that, so use it only for threads that cost next to nothing
     * to start; {@link #release()} does nothing.
     *
     * @param executor starts the thread; its {@code execute} may throw {@code RejectedExecutionException}
     */
    public static HandlerThread startedBy(Executor executor) {
        return onDemand(executor, NOTHING_WHEN_ENDED);
    }

    /**
     * Runs {@code work} on the reserved thread and returns at once.
     *
     * @throws IllegalStateException      if the reservation was already used or released
     * @throws RejectedExecutionException if an on-demand thread cannot be started (the reservation is then over)
     */
    public void run(Runnable work) {
        Objects.requireNonNull(work, "work");
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("this handler thread was already used or released");
        }
        if (handedOver != null) {
            this.work = work;
            handedOver.countDown();
            return;
        }
        Runnable end = whenEnded;
        try {
            // Captures the work and what runs after it, not this reservation, which the thread need not keep.
            onDemand.execute(end == NOTHING_WHEN_ENDED ? work : () -> runThenEnd(work, end));
        } catch (OutOfMemoryError e) {
            whenEnded.run();
            throw new RejectedExecutionException("no handler thread could be started: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            whenEnded.run();
            throw e;
        }
    }

    /** Gives the thread up unused: a waiting thread ends (goes back to its pool). Does nothing once used. */
    public void release() {
        if (!used.compareAndSet(false, true)) {
            return;
        }
        if (handedOver != null) {
            handedOver.countDown();
        } else {
            whenEnded.run();
        }
    }

    private void awaitWorkAndRun() {
        boolean interrupted = false;
        while (true) {
            try {
                handedOver.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Runnable task = work;
        if (task == null) {
            whenEnded.run();
        } else {
            runThenEnd(task, whenEnded);
        }
    }

    private static void runThenEnd(Runnable task, Runnable whenEnded) {
        try {
            task.run();
        } finally {
            whenEnded.run();
        }
    }
}
