package dev.wsnetty.netty.adapter;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waiting on a condition with a deadline instead of sleeping for luck. */
public final class Deadline {
    /** The default deadline: 10 s. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Deadline() {
    }

    /** Polls {@code condition} every millisecond until it holds; fails with {@code what} after 10 s. */
    public static void await(String what, BooleanSupplier condition) {
        await(what, DEFAULT, condition);
    }

    /** Polls {@code condition} every millisecond until it holds; fails with {@code what} after {@code limit}. */
    public static void await(String what, Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out after " + limit.toSeconds() + " s waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits until {@code thread} is blocked in a wait (parked), i.e. it really blocks. */
    public static void parked(Thread thread) {
        await(thread.getName() + " is blocked", () -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }
}
