package dev.wsnetty.netty.server;

import dev.wsnetty.internal.SharedExecutors;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's count of platform handler threads ({@link ServerConfig#maxPlatformHandlerThreads()}): a slot is
 * taken before a blocking handler's thread is reserved and given back on that thread when the connection's work
 * ends, so the server refuses handshakes (503) instead of starting threads past its bound.
 *
 * <p>The bound can be higher than what the process can really have (other processes of the user share the
 * limit). So the server also keeps a few parked threads in reserve: when the JVM fails to create a handler thread,
 * the bound drops to the threads in use and the reserve threads end, leaving room for the threads the JVM itself
 * starts on demand (the one that handles SIGTERM and runs the shutdown hooks among them), so that the server can
 * still be stopped.
 */
final class HandlerThreadSlots {
    /** Parked threads kept in reserve, ended when thread creation fails. */
    static final int RESERVE = 4;

    private final AtomicInteger inUse = new AtomicInteger();
    /** The bound: the configured one (MAX_VALUE for none), lowered to the threads in use once creation failed. */
    private volatile int limit;
    /** Whether creating a thread has failed; the bound is then the threads the process could have. */
    private volatile boolean ranOut;
    /** Opened to end the reserve threads; null when none were started. */
    private final CountDownLatch reserveEnds;

    /**
     * @param max            the configured bound; 0 for none
     * @param keepReserve    whether to start the reserve threads (on JVMs whose handlers run on platform threads)
     */
    HandlerThreadSlots(int max, boolean keepReserve) {
        this.limit = max == 0 ? Integer.MAX_VALUE : max;
        this.reserveEnds = keepReserve ? startReserve() : null;
    }

    /** Takes a slot if one is free. */
    boolean tryTake() {
        while (true) {
            int n = inUse.get();
            if (n >= limit) {
                return false;
            }
            if (inUse.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a slot back. */
    void giveBack() {
        inUse.decrementAndGet();
    }

    /**
     * The JVM could not create a handler thread: from now on at most the threads in use now (the slot of the failed
     * one was given back already), and the reserve threads end so that the JVM can still start its own.
     */
    void threadsRanOut() {
        ranOut = true;
        limit = Math.min(limit, inUse.get());
        if (reserveEnds != null) {
            reserveEnds.countDown();
        }
    }

    /** Why a handshake cannot have a thread: the bound and whether it is the configured one. */
    String whyFull() {
        return ranOut ? "all " + limit + " handler threads the process could create are in use"
                : "all " + limit + " handler threads are in use (maxPlatformHandlerThreads)";
    }

    /** The slots in use. */
    int inUse() {
        return inUse.get();
    }

    /** Ends the reserve threads (the server stopped). */
    void close() {
        if (reserveEnds != null) {
            reserveEnds.countDown();
        }
    }

    private static CountDownLatch startReserve() {
        CountDownLatch ends = new CountDownLatch(1);
        ThreadFactory factory = SharedExecutors.platformThreadFactory("wsnetty-thread-reserve-");
        Runnable park = () -> {
            try {
                ends.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        for (int i = 0; i < RESERVE; i++) {
            factory.newThread(park).start();
        }
        return ends;
    }
}
