package dev.wsnetty.netty.protocol;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A user event the {@link ProtocolHandler} fires inbound when the peer violated the protocol, before it fails the
 * connection: the messages decoded before the violation have been passed on, nothing after it will be. A handler
 * behind it that hands messages to other threads (the blocking API's) may {@link #hold()} the failure until those
 * threads have taken them and written what they cause; the Close goes out when every hold is released or after
 * {@link dev.wsnetty.netty.WebSocketConfig#failureDrainTimeout()}, whichever comes first, and then as it would have
 * without the wait ({@link CloseComingEvent} first, then the Close with the violation's code and reason). A handler
 * that does not hold it changes nothing: the Close goes out at once, as before this event existed.
 *
 * <p>Fired, and {@link #hold()} called, on the channel's event loop; a hold's release may run on any thread.
 */
public final class FailureComingEvent {
    private final ProtocolHandler owner;
    private final EventExecutor executor;
    private final int code;
    private final String reason;
    /** Holds not released yet; event loop only. */
    private int holds;

    FailureComingEvent(ProtocolHandler owner, EventExecutor executor, int code, String reason) {
        this.owner = owner;
        this.executor = executor;
        this.code = code;
        this.reason = reason;
    }

    /** The close code the failing Close will carry. */
    public int code() {
        return code;
    }

    /** The reason the failing Close will carry. */
    public String reason() {
        return reason;
    }

    /**
     * Holds the failure back until the returned task runs (or the drain timeout passes). Call it on the event loop
     * while handling this event.
     *
     * @return the release: runs on any thread, does not block; only its first run counts
     */
    public Runnable hold() {
        holds++;
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                try {
                    executor.execute(this::release);
                } catch (RejectedExecutionException e) {
                    // The event loop is shut down, and the channel with it: no failure is left to send.
                }
            }
        };
    }

    /** Whether a handler holds the failure back; for the protocol handler right after firing. */
    boolean isHeld() {
        return holds > 0;
    }

    private void release() {
        if (--holds == 0) {
            owner.failureReleased(this);
        }
    }

    /** For logs. */
    @Override
    public String toString() {
        return "FailureComingEvent(" + code + ' ' + reason + ", holds=" + holds + ')';
    }
}
