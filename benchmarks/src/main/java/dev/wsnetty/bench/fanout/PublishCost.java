package dev.wsnetty.bench.fanout;

import dev.wsnetty.bench.load.LatencyHistogram;

import java.util.Locale;

/**
 * The time a fan-out server's publisher thread spends in each publish call, recorded from a given moment on
 * (after the warm-up) and printed as one {@code PUBLISH_COST} line that {@code run-fanout.sh} reads. Used by one
 * thread at a time (the publisher connection's), which {@link #print} must follow.
 */
final class PublishCost {
    private final long warmupNanos;
    private final LatencyHistogram histogram = new LatencyHistogram();
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

    /** Records one publish call that started at {@code start} and ended at {@code end} (nanoTime). */
    void record(long start, long end) {
        if (start >= recordFrom) {
            histogram.record(end - start);
        }
    }

    /** Prints the figures: calls recorded, mean, p50, p99 in nanoseconds, and the subscriber count then. */
    void print(int subscribers) {
        System.out.println(String.format(Locale.ROOT,
                "PUBLISH_COST calls=%d mean_ns=%.0f p50_ns=%d p99_ns=%d max_ns=%d subscribers=%d",
                histogram.count(), histogram.mean(), histogram.percentile(50), histogram.percentile(99),
                histogram.max(), subscribers));
        System.out.flush();
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
