package dev.wsnetty.bench.load;

/**
 * A log-linear histogram of non-negative values (nanoseconds here): exact below 128, above that 64
 * buckets per power of two, so a reported percentile is within 1/64 (1.6%) of the true value. Fixed
 * size (about 30 KiB), no allocation when recording, not thread-safe: one per connection, merged at the end.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int LINEAR = SUB << 1;
    private static final int BUCKETS = LINEAR + (63 - SUB_BITS - 1) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private double sum;

    /** Records one value; negative values count as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts[indexOf(v)]++;
        total++;
        sum += v;
        if (v > max) {
            max = v;
        }
    }

    /** Adds every value recorded in {@code other} to this histogram. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    /** How many values were recorded. */
    public long count() {
        return total;
    }

    /** The largest value recorded, exactly; 0 when empty. */
    public long max() {
        return max;
    }

    /** The mean of the recorded values; 0 when empty. */
    public double mean() {
        return total == 0 ? 0 : sum / total;
    }

    /**
     * The value below or at which {@code percentile} percent of the recorded values lie, reported as the
     * upper end of its bucket (never above {@link #max()}); 0 when empty.
     */
    public long percentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    static int indexOf(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int shift = exponent - SUB_BITS;
        int mantissa = (int) (v >>> shift);
        return LINEAR + (shift - 1) * SUB + (mantissa - SUB);
    }

    static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / SUB + 1;
        long mantissa = (index - LINEAR) % SUB + SUB;
        return ((mantissa + 1) << shift) - 1;
    }
}
