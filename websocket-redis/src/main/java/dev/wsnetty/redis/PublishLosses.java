package dev.wsnetty.redis;

import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the publishes that did not reach Redis, and logs each outage once: a warning when the first publish fails
 * after a success (or at start), a line with the count when one succeeds again. Thread-safe.
 */
final class PublishLosses {
    // Netty's logger factory: the application's SLF4J, Log4j 2 or JUL (websocket-api's Log is not exported here).
    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(RedisTopicsBridge.class);

    private final AtomicLong lost = new AtomicLong();
    /** Whether publishes are failing: set by the first loss, cleared by the next success. */
    private final AtomicBoolean failing = new AtomicBoolean();
    /** {@link #lost} when the current outage began. */
    private volatile long lostBefore;

    /** A publish did not reach Redis, for {@code why}. */
    void lost(String why) {
        long total = lost.incrementAndGet();
        if (!failing.get() && failing.compareAndSet(false, true)) {
            lostBefore = total - 1;
            LOG.warn("Redis publishes are failing (" + why + "): messages published on"
                    + " this node reach its own subscribers only, until Redis answers again; counting them as lost");
        }
    }

    /** A publish reached Redis. */
    void delivered() {
        if (failing.get() && failing.compareAndSet(true, false)) {
            LOG.warn("Redis publishes succeed again; " + (lost.get() - lostBefore)
                    + " publishes were lost meanwhile (" + lost.get() + " since the start)");
        }
    }

    /** The publishes lost since the start. */
    long count() {
        return lost.get();
    }
}
