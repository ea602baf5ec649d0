package dev.wsnetty.bench.fanout;

import dev.wsnetty.bench.load.LatencyHistogram;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The time a fan-out server's publisher thread spends in each publish call, recorded from a given moment on
 * (after the warm-up) and printed as one {@code PUBLISH_COST} line that {@code run-fanout.sh} reads: wall time
 * ({@code System.nanoTime}) and the thread's own CPU time. With the publisher's thread and the event loop pinned to
 * one core, a publish call that wakes the loop may be preempted by it, so its wall time can include the loop's
 * fan-out; the CPU time is the publisher's own work (it includes the clock's read, {@code cpu_overhead_ns}, measured
 * at start). Used by one thread at a time (the publisher connection's), which {@link #print} must follow.
 */
final class PublishCost {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int CALIBRATION_ROUNDS = 10_000;

    private final long warmupNanos;
    private final LatencyHistogram histogram = new LatencyHistogram();
    private final LatencyHistogram cpu = new LatencyHistogram();
    private final long cpuOverhead = cpuClockOverhead();
    /** When recording starts, {@code System.nanoTime()}; Long.MAX_VALUE until {@link #publisherOpened()}. */
    private long recordFrom = Long.MAX_VALUE;

    /** @param warmupNanos how long after the publisher connects its publish calls are not recorded */
    PublishCost(long warmupNanos) {
        this.warmupNanos = warmupNanos;
    }

    /** Starts the warm-up clock: the load generator connects the publisher once every subscriber is in. */
    void publisherOpened() {
        recordFrom = System.nanoTime() + warmupNanos;
    }

    /** The thread's CPU time now, to pass to {@link #record}. */
    static long cpuNow() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * Records one publish call that started at {@code start} and ended at {@code end} (nanoTime), taking
     * {@code cpuStart} to {@code cpuEnd} of the thread's CPU time ({@link #cpuNow()}; -1 where the thread has none,
     * a virtual thread, and then only the wall time is recorded).
     */
    void record(long start, long end, long cpuStart, long cpuEnd) {
        if (start >= recordFrom) {
            histogram.record(end - start);
            if (cpuStart >= 0) { // -1 on a virtual thread (JDK 21+ handler threads): no CPU clock of its own
                cpu.record(cpuEnd - cpuStart);
            }
        }
    }

    /** Prints the figures: calls recorded, mean, p50, p99 in nanoseconds, and the subscriber count then. */
    void print(int subscribers) {
        String cpuFigures = cpu.count() == 0 ? "cpu_mean_ns=- cpu_p50_ns=- cpu_p99_ns=-"
                : String.format(Locale.ROOT, "cpu_mean_ns=%.0f cpu_p50_ns=%d cpu_p99_ns=%d", cpu.mean(),
                        cpu.percentile(50), cpu.percentile(99));
        System.out.println(String.format(Locale.ROOT,
                "PUBLISH_COST calls=%d mean_ns=%.0f p50_ns=%d p99_ns=%d max_ns=%d %s cpu_overhead_ns=%d subscribers=%d",
                histogram.count(), histogram.mean(), histogram.percentile(50), histogram.percentile(99),
                histogram.max(), cpuFigures, cpuOverhead, subscribers));
        System.out.flush();
    }

    /** The median CPU time between two back-to-back reads of the thread's CPU clock. */
    private static long cpuClockOverhead() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < CALIBRATION_ROUNDS; i++) {
            long a = cpuNow();
            h.record(cpuNow() - a);
        }
        return h.percentile(50);
    }

    /** The {@code --warmup S} option's value in nanoseconds (seconds, decimals allowed), 0 when absent. */
    static long warmupOption(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if ("--warmup".equals(args[i])) {
                return Math.round(Double.parseDouble(args[i + 1]) * 1e9);
            }
        }
        return 0;
    }
}
