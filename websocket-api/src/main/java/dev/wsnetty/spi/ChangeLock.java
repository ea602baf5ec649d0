package dev.wsnetty.spi;

import java.util.ArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A communicator's lock, with waiting for a change of what it guards built in: a thread holding the lock waits in
 * {@link #awaitChange} (which releases the lock meanwhile and takes it back) until a thread that changed something
 * under the lock calls {@link #signalChange}, which wakes every waiter, as {@code Condition.signalAll} would.
 *
 * <p>Why not a {@code Condition}: a parked virtual thread keeps its stack on the heap, and a condition's wait adds
 * a node object and four frames (the wait, the fork-join pool's blocking hooks, the node's park) to every handler
 * parked in {@code waitForMessage}; with many thousands of idle connections that is a good part of what each one
 * costs. This lock parks the waiting thread itself and remembers it in a field.
 */
final class ChangeLock extends ReentrantLock {
    /** The first thread waiting for a change; usually the only one. Guarded by the lock. */
    private Thread waiter;
    /** Further waiting threads, made when a second thread waits at the same time. Guarded by the lock. */
    private ArrayList<Thread> moreWaiters;

    /**
     * Waits, with the lock held by the caller, until {@link #signalChange} is called, {@code nanos} have passed
     * ({@code nanos < 0}: no time limit) or the thread is interrupted. May also return early for no reason: callers
     * check what they wait for in a loop, as with {@code Condition.awaitNanos}.
     *
     * @return the nanoseconds of {@code nanos} left (negative or zero once used up), or {@code nanos} when it is
     *         negative
     * @throws InterruptedException if the thread is interrupted before or while waiting
     */
    long awaitChange(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        long deadline = System.nanoTime() + nanos;
        addWaiter(me);
        int holds = getHoldCount();
        for (int i = 0; i < holds; i++) {
            unlock();
        }
        try {
            // A signal between the unlock and the park is not lost: it leaves the park a permit.
            if (nanos < 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            for (int i = 0; i < holds; i++) {
                lock();
            }
            removeWaiter(me);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return nanos < 0 ? nanos : deadline - System.nanoTime();
    }

    /** Wakes every thread waiting in {@link #awaitChange}; the caller holds the lock. */
    void signalChange() {
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
        if (moreWaiters != null) {
            moreWaiters.forEach(LockSupport::unpark);
        }
    }

    private void addWaiter(Thread thread) {
        if (waiter == null) {
            waiter = thread;
        } else {
            if (moreWaiters == null) {
                moreWaiters = new ArrayList<>(2);
            }
            moreWaiters.add(thread);
        }
    }

    private void removeWaiter(Thread thread) {
        if (waiter == thread) {
            waiter = null;
        } else {
            moreWaiters.remove(thread);
        }
    }
}
