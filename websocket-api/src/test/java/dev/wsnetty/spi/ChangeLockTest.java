package dev.wsnetty.spi;

import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeLockTest {
    private final ChangeLock lock = new ChangeLock();
    /** What the waiters wait for; guarded by the lock. */
    private boolean changed;

    /** A thread that waits under the lock until {@link #changed}, then counts down {@code done}. */
    private Thread waiter(String name, CountDownLatch done, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            lock.lock();
            try {
                while (!changed) {
                    lock.awaitChange(-1);
                }
                assertTrue(lock.isHeldByCurrentThread(), "the lock is held again after the wait");
                done.countDown();
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                lock.unlock();
            }
        }, name);
        t.start();
        return t;
    }

    /** Makes the change the waiters wait for, under the lock, and signals it. */
    private void change() {
        lock.lock();
        try {
            changed = true;
            lock.signalChange();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void everyWaiterIsWokenByOneSignalAndHoldsTheLockAgain() throws Exception {
        CountDownLatch done = new CountDownLatch(3);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(waiter("waiter-" + i, done, failure));
        }
        threads.forEach(Await::parked);
        change();
        assertTrue(done.await(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS), "all three woke");
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, failure.get());
    }

    @Test
    void aTimedWaitReturnsWhatIsLeftAndEndsWithoutASignal() throws Exception {
        lock.lock();
        try {
            long left = lock.awaitChange(TimeUnit.MILLISECONDS.toNanos(20));
            assertTrue(left <= 0, "no signal came, so the whole time was used: " + left);
            assertTrue(lock.isHeldByCurrentThread());
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aWaitReleasesEveryHoldAndTakesThemAllBack() throws Exception {
        // Held twice: the wait must release both holds, or the signalling thread could never take the lock.
        lock.lock();
        lock.lock();
        Thread signaller = new Thread(this::change);
        signaller.start();
        try {
            while (!changed) {
                lock.awaitChange(-1);
            }
            assertEquals(2, lock.getHoldCount(), "both holds are back");
        } finally {
            lock.unlock();
            lock.unlock();
        }
        signaller.join();
    }

    @Test
    void anInterruptEndsTheWaitWithInterruptedException() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            lock.lock();
            try {
                lock.awaitChange(-1);
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                assertTrue(lock.isHeldByCurrentThread());
                lock.unlock();
            }
        });
        t.start();
        Await.parked(t);
        t.interrupt();
        t.join();
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(lock.isLocked(), "released by the interrupted waiter");

        Thread.currentThread().interrupt();
        lock.lock();
        try {
            assertThrows(InterruptedException.class, () -> lock.awaitChange(-1), "interrupted before waiting");
        } finally {
            lock.unlock();
        }
    }
}
