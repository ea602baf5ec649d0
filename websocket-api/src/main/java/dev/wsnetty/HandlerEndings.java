package dev.wsnetty;

import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.RateLimitedLog;

/**
 * The one place that decides what a handler's exception means and what is logged for it.
 *
 * <table>
 *   <caption>Endings of a connection's handler code</caption>
 *   <tr><th>what ended it</th><th>logged</th><th>the connection</th></tr>
 *   <tr><td>it returned</td><td>nothing</td><td>closed with 1000 by {@code finalizeCommunication} if still
 *       open</td></tr>
 *   <tr><td>{@link WebSocketClosedException}: it wrote after the connection closed or started closing (the peer's
 *       Close arrived while a message was being answered, say)</td><td>one DEBUG line with the real close code,
 *       no stack trace</td><td>left to end as it is ending</td></tr>
 *   <tr><td>{@link WebSocketTimeoutException}: a write the peer did not read in time</td><td>one WARNING line
 *       without stack trace, rate-limited (any client can cause it at will)</td><td>closed
 *       with 1011</td></tr>
 *   <tr><td>any other exception: a bug in the handler</td><td>ERROR with the stack trace, saying whether the
 *       connection is closed with 1011 or had already ended (and how)</td><td>closed with 1011 if still
 *       open</td></tr>
 * </table>
 *
 * <p>Why: a peer that sends a message and then its Close gets the message delivered after the Close; the
 * handler's reply then fails. That is a normal end, and logging it as an error with a stack trace (and a close
 * code the connection never had) floods the log of a busy server with false alarms.
 */
final class HandlerEndings {
    private static final Log LOG = Log.of(WebSocketHandler.class);

    private HandlerEndings() {
    }

    /**
     * Handles the exception {@code failure} thrown by a handler's {@code stage} (e.g. "doHandleCommunication") on
     * {@code communicator}: logs it as the table says and closes the connection with 1011 for a bug.
     *
     * @return whether it was a bug (logged as an error) rather than the connection's normal end
     */
    static boolean failed(Communicator communicator, Throwable failure, String stage) {
        if (failure instanceof WebSocketClosedException) {
            LOG.log(Log.Level.DEBUG, () -> stage + " of " + communicator + " ended: it wrote after the"
                    + " connection " + howItEnds(communicator, (WebSocketClosedException) failure));
            return false;
        }
        boolean open = communicator.isOpen();
        LOG.log(Log.Level.ERROR, stage + " failed on " + communicator + (open
                ? "; closing it with 1011" : "; the connection had already " + howItEnds(communicator, null)),
                failure);
        if (open) {
            closeWith1011(communicator);
        }
        return true;
    }

    /**
     * Ends {@code communicator} after a write its peer did not read in time: one rate-limited line on {@code log}
     * without stack trace (any client can cause it at will), then Close 1011.
     */
    static void writeTimedOut(RateLimitedLog log, Communicator communicator, WebSocketTimeoutException e) {
        log.warn(LOG, "write-timeout", () -> "handler ended " + communicator + " with 1011: " + e.getMessage());
        closeWith1011(communicator);
    }

    /** "closed with CODE REASON" when the end is known, else "started closing". */
    private static String howItEnds(Communicator communicator, WebSocketClosedException e) {
        CloseStatus status = communicator.closeStatus();
        if (status == null && e != null) {
            status = e.closeStatus();
        }
        return status != null ? "closed (" + status.describe() + ")"
                : "started closing (a Close frame was sent or received)";
    }

    /** Closes {@code communicator} with 1011 after user code failed, unless it is already closing. */
    static void closeWith1011(Communicator communicator) {
        try {
            if (communicator.isOpen()) {
                communicator.close(CloseCodes.INTERNAL_ERROR, "Internal error");
            }
        } catch (RuntimeException e) {
            LOG.log(Log.Level.WARN, "could not close " + communicator + " after a handler failure", e);
        }
    }
}
