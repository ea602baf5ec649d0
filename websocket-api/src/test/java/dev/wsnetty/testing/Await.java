package dev.wsnetty.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waiting for a condition with a deadline instead of sleeping for luck: the wait ends as soon as the condition
 * holds, and fails the test, naming what it waited for, when the deadline passes first.
 */
public final class Await {
    /** How long a test waits for anything unless it says otherwise: 10 seconds. */
    public static final Duration DEADLINE = Duration.ofSeconds(10);

    /** How often a condition is polled: every millisecond. */
    private static final long POLL_NANOS = 1_000_000;

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds; fails the test after {@link #DEADLINE}.
     *
     * @param what what the test waits for, completing "timed out waiting until ..."
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEADLINE, condition);
    }

    /**
     * Polls {@code condition} until it holds; fails the test after {@code limit}.
     *
     * @param what what the test waits for, completing "timed out waiting until ..."
     */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out after " + limit.toMillis() + " ms waiting until " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Waits until {@code thread} is parked in a wait (WAITING or TIMED_WAITING): proof that a call really blocks. */
    public static void parked(Thread thread) {
        until(thread.getName() + " is blocked", () -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        });
    }
}
