package dev.wsnetty.netty.client;

/**
 * The server did not complete the opening handshake within {@link dev.wsnetty.netty.WebSocketConfig#handshakeTimeout()}
 * (counted from the TCP connection, so for wss it includes the TLS handshake). The message names
 * {@code host:port} and the limit.
 */
public class WebSocketHandshakeTimeoutException extends WebSocketHandshakeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message naming the server and the time limit. */
    public WebSocketHandshakeTimeoutException(String message) {
        super(message);
    }
}
