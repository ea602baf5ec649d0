package dev.wsnetty.netty.client;

import java.io.IOException;

/**
 * The TCP connection to the server could not be made (refused, unknown host, timed out). The message
 * names {@code host:port}; the cause is the transport's exception.
 */
public class WebSocketConnectException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message naming the address and the underlying cause. */
    public WebSocketConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
