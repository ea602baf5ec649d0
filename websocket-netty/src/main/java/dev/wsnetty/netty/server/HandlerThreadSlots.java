package dev.wsnetty.netty.server;

import java.util.concurrent.Semaphore;

/**
 * The server's count of platform handler threads ({@link ServerConfig#maxPlatformHandlerThreads()}): a slot is
 * taken before a blocking handler's thread is reserved and given back on that thread when the connection's work
 * ends, so the server refuses handshakes (503) instead of starting threads past its bound.
 */
final class HandlerThreadSlots {
    /** The bound; 0 for none. */
    private final int max;
    /** The free slots; null when there is no bound. */
    private final Semaphore free;

    HandlerThreadSlots(int max) {
        this.max = max;
        this.free = max == 0 ? null : new Semaphore(max);
    }

    /** Takes a slot if one is free; always true without a bound. */
    boolean tryTake() {
        return free == null || free.tryAcquire();
    }

    /** Gives a slot back. */
    void giveBack() {
        if (free != null) {
            free.release();
        }
    }

    /** The bound; 0 for none. */
    int max() {
        return max;
    }

    /** The slots in use; 0 without a bound. */
    int inUse() {
        return free == null ? 0 : max - free.availablePermits();
    }
}
