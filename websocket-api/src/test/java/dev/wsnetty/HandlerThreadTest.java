package dev.wsnetty;

import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HandlerThread}: a thread reserved before a connection opens, then used or released exactly once. */
class HandlerThreadTest {
    @Test
    void aPlatformThreadIsStartedAtReservationAndRunsTheWorkHandedToIt() throws Exception {
        AtomicReference<Thread> started = new AtomicReference<>();
        AtomicInteger ended = new AtomicInteger();
        HandlerThread thread = HandlerThread.startNow(task -> {
            Thread t = new Thread(task, "reserved");
            started.set(t);
            t.start();
        }, ended::incrementAndGet);
        assertTrue(started.get() != null, "started before any work");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        thread.run(() -> {
            ranOn.set(Thread.currentThread());
            ran.countDown();
        });
        ran.await();
        assertSame(started.get(), ranOn.get());
        Await.until("whenEnded ran once", () -> ended.get() == 1);
        assertThrows(IllegalStateException.class, () -> thread.run(() -> { }));
        thread.release();
        assertEquals(1, ended.get());
    }

    @Test
    void releasingAWaitingThreadEndsIt() {
        AtomicReference<Thread> started = new AtomicReference<>();
        AtomicInteger ended = new AtomicInteger();
        HandlerThread thread = HandlerThread.startNow(task -> {
            Thread t = new Thread(task, "reserved");
            started.set(t);
            t.start();
        }, ended::incrementAndGet);
        thread.release();
        Await.until("the reserved thread ended", () -> !started.get().isAlive());
        assertEquals(1, ended.get());
    }

    @Test
    void aThreadThatCannotBeCreatedIsARejectionNamingTheCause() {
        OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread: possibly out of memory"
                + " or process/resource limits reached");
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> HandlerThread.startNow(task -> { throw noThread; }, () -> { }));
        assertSame(noThread, e.getCause());
        assertTrue(e.getMessage().contains("unable to create native thread"), e.getMessage());
    }

    @Test
    void anOnDemandThreadWithNothingToRunAfterTheWorkGetsTheWorkItselfAsItsTask() {
        AtomicReference<Runnable> task = new AtomicReference<>();
        HandlerThread thread = HandlerThread.onDemand(task::set, HandlerThread.NOTHING_WHEN_ENDED);
        Runnable work = () -> { };
        thread.run(work);
        // No wrapper that keeps the reservation: what a parked virtual thread holds is its work alone.
        assertSame(work, task.get());
        assertThrows(IllegalStateException.class, () -> thread.run(work));
    }

    @Test
    void anOnDemandThreadStartsOnlyWhenUsedAndEndsOnReleaseWithoutStarting() {
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        HandlerThread unused = HandlerThread.onDemand(task -> starts.incrementAndGet(), ended::incrementAndGet);
        unused.release();
        assertEquals(0, starts.get());
        assertEquals(1, ended.get());

        HandlerThread used = HandlerThread.onDemand(Runnable::run, ended::incrementAndGet);
        AtomicInteger work = new AtomicInteger();
        used.run(work::incrementAndGet);
        assertEquals(1, work.get());
        assertEquals(2, ended.get());
    }
}
