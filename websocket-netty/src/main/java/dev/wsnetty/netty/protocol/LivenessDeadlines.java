package dev.wsnetty.netty.protocol;

import dev.wsnetty.netty.WebSocketConfig;

/**
 * The idle timeout and the keep-alive ping's deadlines as a function of the time now, without I/O or
 * timers: the {@link ProtocolHandler} keeps the times, asks what is {@link #due} when its timer fires,
 * carries that out, and sets the timer to {@link #nextCheckIn}.
 *
 * <ul>
 *   <li>{@link WebSocketConfig#idleTimeout()}: nothing was received for that long: close with 1001.</li>
 *   <li>{@link WebSocketConfig#pingInterval()}: nothing was received for that long: send a ping.</li>
 *   <li>{@link WebSocketConfig#pongTimeout()}: nothing was received within that time after the ping: fail
 *       the connection with 1011. Any received bytes count, not only the pong: a peer in the middle of
 *       sending a large frame cannot send a pong before the frame ends.</li>
 * </ul>
 * A duration of zero switches its deadline off (the pong timeout goes with the ping interval). Times are
 * {@code nanoTime} readings of the same clock, compared by difference so that they may wrap.
 */
final class LivenessDeadlines {
    private LivenessDeadlines() {
    }

    /** What the liveness timer has to do now, at most one thing. */
    enum Due {
        /** No deadline passed. */
        NOTHING,
        /** Send a keep-alive ping; remember when. */
        SEND_PING,
        /** Close with 1001 "idle timeout", as if the application had written that Close. */
        IDLE_TIMEOUT,
        /** Fail the connection with 1011 "keepalive ping timeout". */
        PONG_TIMEOUT
    }

    /**
     * What is due now: the idle timeout comes first, then the pong timeout, then a ping.
     *
     * @param config        the idle timeout, ping interval and pong timeout
     * @param lastReadNanos when something was last received (or the timers started)
     * @param pingSent      whether a keep-alive ping was ever sent
     * @param pingSentNanos when the last keep-alive ping was sent, if one was
     * @param now           the time now
     */
    static Due due(WebSocketConfig config, long lastReadNanos, boolean pingSent, long pingSentNanos, long now) {
        long sinceRead = now - lastReadNanos;
        long idle = config.idleTimeout().toNanos();
        if (idle != 0 && sinceRead >= idle) {
            return Due.IDLE_TIMEOUT;
        }
        long interval = config.pingInterval().toNanos();
        if (interval == 0) {
            return Due.NOTHING;
        }
        if (awaitingPong(lastReadNanos, pingSent, pingSentNanos)) {
            return now - pingSentNanos >= config.pongTimeout().toNanos() ? Due.PONG_TIMEOUT : Due.NOTHING;
        }
        return sinceRead >= interval ? Due.SEND_PING : Due.NOTHING;
    }

    /**
     * How long from now until the next deadline, for the timer. Asked when the timers start and after
     * {@link #due} returned {@code NOTHING} or {@code SEND_PING} (with the ping's time already recorded).
     * At least one of idle timeout and ping interval must be on.
     *
     * @param config        the idle timeout, ping interval and pong timeout
     * @param lastReadNanos when something was last received (or the timers started)
     * @param pingSent      whether a keep-alive ping was ever sent
     * @param pingSentNanos when the last keep-alive ping was sent, if one was
     * @param now           the time now
     */
    static long nextCheckIn(WebSocketConfig config, long lastReadNanos, boolean pingSent, long pingSentNanos,
            long now) {
        long sinceRead = now - lastReadNanos;
        long next = Long.MAX_VALUE;
        long idle = config.idleTimeout().toNanos();
        if (idle != 0) {
            next = idle - sinceRead;
        }
        long interval = config.pingInterval().toNanos();
        if (interval != 0) {
            next = Math.min(next, awaitingPong(lastReadNanos, pingSent, pingSentNanos)
                    ? config.pongTimeout().toNanos() - (now - pingSentNanos)
                    : interval - sinceRead);
        }
        return next;
    }

    /** A ping was sent and nothing was received since. */
    private static boolean awaitingPong(long lastReadNanos, boolean pingSent, long pingSentNanos) {
        return pingSent && lastReadNanos - pingSentNanos <= 0;
    }
}
