package dev.wsnetty.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {
    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 0; v < 128; v++) {
            h.record(v);
        }
        assertEquals(128, h.count());
        assertEquals(63, h.percentile(50));
        assertEquals(126, h.percentile(99));
        assertEquals(127, h.percentile(100));
        assertEquals(63.5, h.mean(), 1e-9);
    }

    @Test
    void largeValuesAreWithinOneBucketOfOneSixtyFourth() {
        for (long v = 128; v > 0 && v < Long.MAX_VALUE / 3; v = v * 3 + 7) {
            LatencyHistogram h = new LatencyHistogram();
            h.record(v);
            h.record(v * 2);
            long p50 = h.percentile(50);
            assertTrue(p50 >= v && p50 - v <= v / 64, "p50 " + p50 + " for " + v);
            assertEquals(v * 2, h.percentile(100), "the top percentile is the exact maximum");
        }
    }

    @Test
    void bucketsAreContiguousAndOrdered() {
        long previousUpper = -1;
        for (int i = 0; i < LatencyHistogram.indexOf(Long.MAX_VALUE) + 1; i++) {
            long upper = LatencyHistogram.upperBound(i);
            assertTrue(upper > previousUpper, "bucket " + i);
            assertEquals(i, LatencyHistogram.indexOf(upper), "upper bound of bucket " + i);
            assertEquals(i, LatencyHistogram.indexOf(previousUpper + 1), "lower bound of bucket " + i);
            previousUpper = upper;
        }
        assertEquals(Long.MAX_VALUE, previousUpper);
    }

    @Test
    void mergingAddsCounts() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            a.record(1000);
        }
        b.record(1_000_000);
        a.add(b);
        assertEquals(100, a.count());
        assertTrue(Math.abs(a.percentile(99) - 1000) <= 1000 / 64);
        assertEquals(1_000_000, a.percentile(99.9));
        assertEquals(1_000_000, a.max());
    }

    @Test
    void emptyAndNegative() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentile(99));
        h.record(-5);
        assertEquals(0, h.percentile(100));
    }
}
