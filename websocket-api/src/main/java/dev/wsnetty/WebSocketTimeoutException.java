package dev.wsnetty;

/**
 * A blocking write waited longer than the transport's write timeout for the connection to become writable again
 * (the peer is not reading fast enough). The frame was not sent. Timed waits for messages do not throw this:
 * they return null when the time is up.
 */
public class WebSocketTimeoutException extends WebSocketException {
    /**
     * A timeout with a message that says what waited and for how long.
     *
     * @param message the explanation
     */
    public WebSocketTimeoutException(String message) {
        super(message);
    }
}
