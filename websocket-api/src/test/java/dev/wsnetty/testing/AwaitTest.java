package dev.wsnetty.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Waiting with a deadline: done as soon as the condition holds, a named failure when it never does. */
class AwaitTest {
    @Test
    void untilReturnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", () -> polls.incrementAndGet() == 3);
        assertEquals(3, polls.get());
    }

    @Test
    void untilFailsAfterTheLimitNamingWhatItWaitedFor() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Await.until("pigs fly", Duration.ofMillis(20), () -> false));
        assertEquals("timed out after 20 ms waiting until pigs fly", e.getMessage());
    }

    @Test
    void parkedReturnsOnceTheThreadBlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "waiter");
        waiter.start();
        Await.parked(waiter);
        release.countDown();
        waiter.join();
    }
}
