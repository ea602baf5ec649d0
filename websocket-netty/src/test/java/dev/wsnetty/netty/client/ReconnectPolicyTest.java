package dev.wsnetty.netty.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backoff a {@link ReconnectPolicy} computes, with a fixed random, and its stop rules. */
class ReconnectPolicyTest {
    /** A random source that always draws {@code value} from [0, 1). */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void theDelayDoublesFromTheInitialOneUpToTheCap() {
        ReconnectPolicy policy = ReconnectPolicy.builder().jitter(0).build();
        long[] expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (int failures = 1; failures <= expected.length; failures++) {
            assertEquals(Duration.ofMillis(expected[failures - 1]), policy.delay(failures, fixed(0.9)),
                    "after " + failures + " failures");
        }
        assertEquals(Duration.ofSeconds(30), policy.delay(10_000, fixed(0)), "no overflow after many failures");
    }

    @Test
    void jitterShortensTheDelayByUpToItsFraction() {
        ReconnectPolicy policy = ReconnectPolicy.DEFAULT; // jitter 0.2
        assertEquals(Duration.ofMillis(2000), policy.delay(2, fixed(0)));
        assertEquals(Duration.ofMillis(1800), policy.delay(2, fixed(0.5)));
        assertEquals(Duration.ofMillis(24000), policy.delay(9, fixed(1.0)), "at most 20% below the cap");
    }

    @Test
    void anotherMultiplierAndAZeroInitialDelay() {
        ReconnectPolicy steady = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(250)).multiplier(1)
                .jitter(0).build();
        assertEquals(Duration.ofMillis(250), steady.delay(1, fixed(0)));
        assertEquals(Duration.ofMillis(250), steady.delay(7, fixed(0)));
        ReconnectPolicy immediate = ReconnectPolicy.builder().initialDelay(Duration.ZERO).build();
        assertEquals(Duration.ZERO, immediate.delay(5, fixed(0.3)));
    }

    @Test
    void namedCloseCodesAndStatusesStopIt() {
        ReconnectPolicy policy = ReconnectPolicy.builder().stopOnCloseCodes(1008, 4001)
                .stopOnHandshakeStatuses(400, 499).stopOnHandshakeStatus(503).build();
        assertTrue(policy.stopsOnCloseCode(1008));
        assertTrue(policy.stopsOnCloseCode(4001));
        assertFalse(policy.stopsOnCloseCode(1006));
        assertFalse(policy.stopsOnCloseCode(1001));
        assertTrue(policy.stopsOnHandshakeStatus(400));
        assertTrue(policy.stopsOnHandshakeStatus(499));
        assertTrue(policy.stopsOnHandshakeStatus(503));
        assertFalse(policy.stopsOnHandshakeStatus(502));
        assertFalse(policy.stopsOnHandshakeStatus(101));
        assertFalse(ReconnectPolicy.DEFAULT.stopsOnHandshakeStatus(403), "nothing named by default");
    }

    @Test
    void maxAttemptsBoundsTheAttemptsInARow() {
        ReconnectPolicy policy = ReconnectPolicy.builder().maxAttempts(3).build();
        assertTrue(policy.allowsAttempt(3));
        assertFalse(policy.allowsAttempt(4));
        assertTrue(ReconnectPolicy.DEFAULT.allowsAttempt(Integer.MAX_VALUE));
    }

    @Test
    void badSettingsAreRefusedNamingFieldAndValue() {
        assertEquals("multiplier must be at least 1 and finite, was 0.5", assertThrows(IllegalArgumentException.class,
                () -> ReconnectPolicy.builder().multiplier(0.5)).getMessage());
        assertEquals("jitter must be between 0 and 1, was 1.5", assertThrows(IllegalArgumentException.class,
                () -> ReconnectPolicy.builder().jitter(1.5)).getMessage());
        assertEquals("maxDelay (100 ms) must not be below initialDelay (1000 ms)", assertThrows(
                IllegalArgumentException.class,
                () -> ReconnectPolicy.builder().maxDelay(Duration.ofMillis(100)).build()).getMessage());
        assertEquals("close code must be between 1000 and 4999, was 999", assertThrows(IllegalArgumentException.class,
                () -> ReconnectPolicy.builder().stopOnCloseCodes(999)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().stopOnHandshakeStatuses(499, 400));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.DEFAULT.delay(0, fixed(0)));
    }

    @Test
    void toBuilderKeepsEverySetting() {
        ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(10))
                .maxDelay(Duration.ofMillis(80)).multiplier(3).jitter(0.5).maxAttempts(4).stopOnCloseCodes(1008)
                .stopOnHandshakeStatuses(400, 499).build();
        assertEquals(policy.toString(), policy.toBuilder().build().toString());
        assertEquals("ReconnectPolicy[delay 10 ms x3.0 up to 80 ms, jitter 0.5, maxAttempts 4, stop on close codes"
                + " [1008], stop on statuses [400-499]]", policy.toString());
    }
}
