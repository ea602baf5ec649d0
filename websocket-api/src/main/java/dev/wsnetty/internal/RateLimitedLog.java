package dev.wsnetty.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A log that a hostile peer cannot flood: each kind of message (its key, from a small fixed set such as
 * {@code "tls-handshake"}) is written at most once per interval; the repeats in between are counted, and the
 * next line of that kind says how many were left out. Lines carry no stack trace: they are for failures the
 * network causes (resets, TLS handshakes, write timeouts), whose traces say nothing new. Thread-safe.
 */
public final class RateLimitedLog {
    /** The interval of {@link #shared()}: 10 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final RateLimitedLog SHARED = new RateLimitedLog(DEFAULT_INTERVAL, System::nanoTime);

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param interval how often one kind of line may be written
     * @param nanoTime the clock, {@code System::nanoTime} outside tests
     */
    public RateLimitedLog(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A process-wide log with the default interval, for code outside a server (the pipeline API). */
    public static RateLimitedLog shared() {
        return SHARED;
    }

    /** Writes {@code message} to {@code logger} at WARNING unless a line of this kind was written within the interval. */
    public void warn(Log logger, String key, Supplier<String> message) {
        log(logger, Log.Level.WARN, key, message);
    }

    /** Writes {@code message} to {@code logger} at INFO unless a line of this kind was written within the interval. */
    public void info(Log logger, String key, Supplier<String> message) {
        log(logger, Log.Level.INFO, key, message);
    }

    /**
     * Writes {@code message} to {@code logger} at {@code level}, followed by the number of lines of this kind left out since the last
     * one, unless a line of this kind was written within the interval (then it is counted). Does nothing when the
     * level is off.
     */
    public void log(Log logger, Log.Level level, String key, Supplier<String> message) {
        if (!logger.isEnabled(level)) {
            return;
        }
        long suppressed = windows.computeIfAbsent(key, k -> new Window()).admit(nanoTime.getAsLong(), intervalNanos);
        if (suppressed < 0) {
            return;
        }
        String text = message.get();
        if (suppressed > 0) {
            text += " (" + suppressed + " more like it since the last one were not logged)";
        }
        logger.log(level, text);
    }

    /** One kind's interval: when its last line was written and how many were left out since. */
    private static final class Window {
        private boolean written;
        private long lastWritten;
        private long suppressed;

        /** The number of lines left out before this one if it may be written now, else -1 (and it is counted). */
        synchronized long admit(long now, long intervalNanos) {
            if (written && now - lastWritten < intervalNanos) {
                suppressed++;
                return -1;
            }
            written = true;
            lastWritten = now;
            long left = suppressed;
            suppressed = 0;
            return left;
        }
    }
}
