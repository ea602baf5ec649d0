package dev.wsnetty.netty.client;

import dev.wsnetty.HandshakeResponse;

import java.util.Objects;

/**
 * The server answered the opening handshake but did not upgrade: a status other than 101, a 101 that
 * breaks RFC 6455 §4.1 (wrong {@code Sec-WebSocket-Accept}, missing {@code Upgrade}, an extension or
 * subprotocol that was not offered, ...), or an answer cut short by the server closing the connection.
 * Carries the response (status, reason phrase, headers, body) as the failure listener receives it.
 */
public class WebSocketHandshakeRefusedException extends WebSocketHandshakeException {
    private static final long serialVersionUID = 1L;

    private final transient HandshakeResponse response;
    private final String reason;

    /**
     * An exception for a refusal.
     *
     * @param server   {@code host:port} of the server, for the message
     * @param response what the server answered
     * @param reason   why that answer is not an upgrade, for people to read
     */
    public WebSocketHandshakeRefusedException(String server, HandshakeResponse response, String reason) {
        super("server " + server + " refused the WebSocket upgrade: " + reason);
        this.response = Objects.requireNonNull(response, "response");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** What the server answered: status, reason phrase, headers and body. */
    public HandshakeResponse response() {
        return response;
    }

    /** The response's status code, e.g. 403 (101 when the 101 itself was invalid). */
    public int statusCode() {
        return response.statusCode();
    }

    /** Why the answer is not an upgrade, e.g. "server answered 403 Forbidden instead of 101 Switching Protocols". */
    public String reason() {
        return reason;
    }
}
