package dev.wsnetty.netty.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * When a {@link ReconnectingClient} tries again, and when it gives up: exponential backoff with jitter and a cap,
 * an optional bound on attempts, and the close codes and handshake statuses that stop it. Immutable; build one
 * with {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code initialDelay}</td><td>{@value #DEFAULT_INITIAL_DELAY_MILLIS} ms</td><td>the wait after the first
 *       failure; zero retries at once</td></tr>
 *   <tr><td>{@code multiplier}</td><td>{@value #DEFAULT_MULTIPLIER}</td><td>each further failure in a row
 *       multiplies the wait by this</td></tr>
 *   <tr><td>{@code maxDelay}</td><td>{@value #DEFAULT_MAX_DELAY_MILLIS} ms</td><td>the cap: no wait is longer</td></tr>
 *   <tr><td>{@code jitter}</td><td>{@value #DEFAULT_JITTER}</td><td>each wait is shortened by a random part of up
 *       to this fraction, so that clients that lost the same server do not come back all at once; 0 turns it
 *       off</td></tr>
 *   <tr><td>{@code maxAttempts}</td><td>0 (no bound)</td><td>attempts in a row without a connection, the first
 *       one included, before giving up</td></tr>
 *   <tr><td>{@code stopOnCloseCodes}</td><td>none</td><td>a connection that ends with one of these codes (from
 *       either side, 1006 included) is not reconnected</td></tr>
 *   <tr><td>{@code stopOnHandshakeStatuses}</td><td>none</td><td>a refusal with one of these HTTP statuses
 *       (e.g. 400 to 499) is not retried</td></tr>
 * </table>
 */
public final class ReconnectPolicy {
    /** The default {@code initialDelay}: 1000 ms. */
    public static final long DEFAULT_INITIAL_DELAY_MILLIS = 1000;
    /** The default {@code maxDelay}: 30000 ms. */
    public static final long DEFAULT_MAX_DELAY_MILLIS = 30_000;
    /** The default {@code multiplier}: 2. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** The default {@code jitter}: 0.2 (a wait is 80% to 100% of the computed one). */
    public static final double DEFAULT_JITTER = 0.2;

    /** The defaults: retry forever, after 1 s, 2 s, 4 s ... up to 30 s, each up to 20% shorter. */
    public static final ReconnectPolicy DEFAULT = builder().build();

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final int maxAttempts;
    private final Set<Integer> stopOnCloseCodes;
    /** Inclusive ranges {first, last}. */
    private final List<int[]> stopOnStatuses;

    private ReconnectPolicy(Builder b) {
        this.initialDelay = b.initialDelay;
        this.maxDelay = b.maxDelay;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.maxAttempts = b.maxAttempts;
        this.stopOnCloseCodes = Set.copyOf(b.stopOnCloseCodes);
        this.stopOnStatuses = List.copyOf(b.stopOnStatuses);
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The wait before the next attempt after {@code failures} failures in a row (a lost connection counts as one):
     * {@code initialDelay × multiplier^(failures-1)}, capped at {@code maxDelay}, then shortened by
     * {@code jitter × random.nextDouble()} of itself.
     *
     * @param failures at least 1
     * @param random   the source of the jitter (a fixed one in tests)
     * @throws IllegalArgumentException if {@code failures} is below 1
     */
    public Duration delay(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        // Zero stays zero (not 0 × infinity) however many failures there were.
        double nanos = initialDelay.isZero() ? 0 : initialDelay.toNanos() * Math.pow(multiplier, failures - 1);
        double capped = Math.min(nanos, maxDelay.toNanos());
        return Duration.ofNanos((long) (capped * (1 - jitter * random.nextDouble())));
    }

    /** Whether a connection that ended with {@code code} is left closed. */
    public boolean stopsOnCloseCode(int code) {
        return stopOnCloseCodes.contains(code);
    }

    /** Whether a handshake refused with {@code status} is not retried. */
    public boolean stopsOnHandshakeStatus(int status) {
        for (int[] range : stopOnStatuses) {
            if (status >= range[0] && status <= range[1]) {
                return true;
            }
        }
        return false;
    }

    /** Whether attempt number {@code attempt} (counted since the last connection, from 1) may be made. */
    public boolean allowsAttempt(int attempt) {
        return maxAttempts == 0 || attempt <= maxAttempts;
    }

    /** The wait after the first failure. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** The longest wait. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The growth of the wait per failure in a row. */
    public double multiplier() {
        return multiplier;
    }

    /** The largest fraction a wait is shortened by at random. */
    public double jitter() {
        return jitter;
    }

    /** The most attempts in a row without a connection; 0 for no bound. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** A builder with this policy's settings. */
    public Builder toBuilder() {
        Builder b = new Builder().initialDelay(initialDelay).maxDelay(maxDelay).multiplier(multiplier)
                .jitter(jitter).maxAttempts(maxAttempts);
        b.stopOnCloseCodes.addAll(stopOnCloseCodes);
        b.stopOnStatuses.addAll(stopOnStatuses);
        return b;
    }

    @Override
    public String toString() {
        StringBuilder statuses = new StringBuilder();
        for (int[] r : stopOnStatuses) {
            statuses.append(statuses.length() == 0 ? "" : ", ").append(r[0] == r[1] ? "" + r[0] : r[0] + "-" + r[1]);
        }
        return "ReconnectPolicy[delay " + initialDelay.toMillis() + " ms x" + multiplier + " up to "
                + maxDelay.toMillis() + " ms, jitter " + jitter + ", maxAttempts " + maxAttempts
                + ", stop on close codes " + new TreeSet<>(stopOnCloseCodes) + ", stop on statuses [" + statuses + "]]";
    }

    /** Builds a {@link ReconnectPolicy}; {@link #build()} checks the settings together. */
    public static final class Builder {
        private Duration initialDelay = Duration.ofMillis(DEFAULT_INITIAL_DELAY_MILLIS);
        private Duration maxDelay = Duration.ofMillis(DEFAULT_MAX_DELAY_MILLIS);
        private double multiplier = DEFAULT_MULTIPLIER;
        private double jitter = DEFAULT_JITTER;
        private int maxAttempts;
        private final Set<Integer> stopOnCloseCodes = new TreeSet<>();
        private final List<int[]> stopOnStatuses = new ArrayList<>();

        private Builder() {
        }

        /** Sets the wait after the first failure (default 1 s); zero or more. */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = nonNegative(delay, "initialDelay");
            return this;
        }

        /** Sets the cap on every wait (default 30 s); at least {@code initialDelay}. */
        public Builder maxDelay(Duration delay) {
            this.maxDelay = nonNegative(delay, "maxDelay");
            return this;
        }

        /** Sets the growth per failure in a row (default 2); at least 1 (1 keeps the wait constant). */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be at least 1 and finite, was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** Sets the largest fraction a wait is shortened by at random (default 0.2); 0 to 1. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** Sets the most attempts in a row without a connection, the first included; 0 (the default) for no bound. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 0) {
                throw new IllegalArgumentException("maxAttempts must be 0 (no bound) or more, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Adds close codes that end reconnecting, e.g. 1008 (policy violation) or an application's 4xxx code. */
        public Builder stopOnCloseCodes(int... codes) {
            for (int code : codes) {
                if (code < 1000 || code > 4999) {
                    throw new IllegalArgumentException("close code must be between 1000 and 4999, was " + code);
                }
                stopOnCloseCodes.add(code);
            }
            return this;
        }

        /** Adds one HTTP status of a refused handshake that ends reconnecting, e.g. 401. */
        public Builder stopOnHandshakeStatus(int status) {
            return stopOnHandshakeStatuses(status, status);
        }

        /** Adds a range of HTTP statuses of a refused handshake that end reconnecting, e.g. 400 to 499. */
        public Builder stopOnHandshakeStatuses(int first, int last) {
            if (first < 100 || last > 999 || first > last) {
                throw new IllegalArgumentException("status range must be within 100-999 and first <= last, was "
                        + first + "-" + last);
            }
            stopOnStatuses.add(new int[] {first, last});
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalArgumentException if {@code maxDelay} is below {@code initialDelay}
         */
        public ReconnectPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("maxDelay (" + maxDelay.toMillis()
                        + " ms) must not be below initialDelay (" + initialDelay.toMillis() + " ms)");
            }
            return new ReconnectPolicy(this);
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(name + " must be between 0 and 1 day, was " + d);
            }
            return d;
        }
    }
}
