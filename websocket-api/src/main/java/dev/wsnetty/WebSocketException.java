package dev.wsnetty;

/**
 * The base of every exception wsnetty throws about a connection (the original's {@code EWebsocketError}).
 * Unchecked, like the original's exceptions, so handler code reads as plainly as the Pascal original; the
 * message always says what failed and why.
 */
public class WebSocketException extends RuntimeException {
    /**
     * An exception with a message that says what failed and why.
     *
     * @param message the explanation
     */
    public WebSocketException(String message) {
        super(message);
    }

    /**
     * An exception with a message and the underlying cause.
     *
     * @param message the explanation
     * @param cause   the underlying failure
     */
    public WebSocketException(String message, Throwable cause) {
        super(message, cause);
    }
}
