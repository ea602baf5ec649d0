package dev.wsnetty.spi;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waiting on a condition with a deadline instead of sleeping for luck. */
public final class Await {
    public static final Duration DEADLINE = Duration.ofSeconds(10);

    private Await() {
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after 10 s. */
    public static void until(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits until {@code thread} is parked (blocked in a wait), i.e. it really blocks. */
    public static void parked(Thread thread) {
        until(thread.getName() + " is blocked", () -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }
}
