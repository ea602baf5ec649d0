package dev.wsnetty.netty.client;

import java.io.IOException;

/**
 * The opening handshake could not finish: the server closed the connection or sent something that is
 * not HTTP, no answer came in time ({@link WebSocketHandshakeTimeoutException}), or TLS failed. A server
 * that answers but refuses the upgrade is reported by {@link ClientConnector} as a
 * {@link ClientHandshakeResult} with {@code success() == false}; {@link WebSocketClient#connectOrThrow()}
 * turns it into the subclass {@link WebSocketHandshakeRefusedException}.
 */
public class WebSocketHandshakeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what went wrong. */
    public WebSocketHandshakeException(String message) {
        super(message);
    }

    /** An exception with a message saying what went wrong and the underlying cause. */
    public WebSocketHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
