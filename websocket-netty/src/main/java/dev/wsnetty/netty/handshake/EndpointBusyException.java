package dev.wsnetty.netty.handshake;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by {@link WebSocketEndpoint#reserve} when the endpoint cannot take one more connection now (no handler
 * thread can be had); the handshake is answered with {@code 503 Service Unavailable}, a {@code Retry-After} header
 * and the message as the body, before any 101.
 */
public final class EndpointBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** When the client may try again. */
    private final transient Duration retryAfter;

    /**
     * @param message    why, for the response body and the log, e.g. "all 400 handler threads are in use"
     * @param retryAfter when to try again, at least 1 s (sent in whole seconds, rounded up)
     * @param cause      the failure behind it, or null
     */
    public EndpointBusyException(String message, Duration retryAfter, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("retryAfter must be at least 1 s, was " + retryAfter);
        }
        this.retryAfter = retryAfter;
    }

    /** When the client may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
