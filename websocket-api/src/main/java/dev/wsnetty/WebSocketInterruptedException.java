package dev.wsnetty;

/**
 * A thread blocked in a communicator call (waiting for a message, for the write lock or for the connection to
 * become writable) was interrupted. The thread's interrupt status is set again before this is thrown, so code
 * further up still sees the interruption.
 */
public class WebSocketInterruptedException extends WebSocketException {
    /**
     * An exception for an interrupted blocking call.
     *
     * @param message what was being waited for
     * @param cause   the interruption
     */
    public WebSocketInterruptedException(String message, InterruptedException cause) {
        super(message, cause);
    }
}
