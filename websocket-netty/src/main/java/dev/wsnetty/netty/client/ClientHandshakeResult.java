package dev.wsnetty.netty.client;

import dev.wsnetty.HandshakeResponse;
import dev.wsnetty.HeaderFields;

import java.util.Objects;
import java.util.Optional;

/**
 * The server's answer to the opening handshake: whether the upgrade succeeded, the response as users see
 * it ({@link HandshakeResponse}: status line, headers and, for a refusal, the body), the selected
 * subprotocol, and why a refusal is one. Free of Netty types so the API layer can hand it to users as is.
 *
 * <p>A refusal is a status other than 101, a 101 that breaks RFC 6455 §4.1, or a response the server cut
 * short by closing the connection after its status line (see {@link #failureReason()}). The body of a
 * refusal is read by {@code Content-Length}, chunked encoding, or until the server closes, and is cut at
 * {@link ClientHandshakeHandler#MAX_BODY_BYTES} bytes.
 */
public final class ClientHandshakeResult {
    private final boolean success;
    private final HandshakeResponse response;
    private final String subprotocol;
    private final String failureReason;

    private ClientHandshakeResult(boolean success, HandshakeResponse response, String subprotocol,
                                  String failureReason) {
        this.success = success;
        this.response = Objects.requireNonNull(response, "response");
        this.subprotocol = subprotocol;
        this.failureReason = failureReason;
    }

    /**
     * A successful upgrade.
     *
     * @param subprotocol the subprotocol the server selected, or null for none
     */
    public static ClientHandshakeResult succeeded(int statusCode, String reasonPhrase, HeaderFields headers,
                                                  String subprotocol) {
        return new ClientHandshakeResult(true, new HandshakeResponse(statusCode, reasonPhrase, headers, ""),
                subprotocol, null);
    }

    /**
     * A refused upgrade.
     *
     * @param failureReason why the answer is not a valid upgrade, for people to read
     */
    public static ClientHandshakeResult refused(int statusCode, String reasonPhrase, HeaderFields headers,
                                                String body, String failureReason) {
        return new ClientHandshakeResult(false, new HandshakeResponse(statusCode, reasonPhrase, headers, body), null,
                Objects.requireNonNull(failureReason, "failureReason"));
    }

    /** Whether the connection now speaks WebSocket. */
    public boolean success() {
        return success;
    }

    /** The response as the client's handshake events report it. */
    public HandshakeResponse response() {
        return response;
    }

    /** The response status code, e.g. 101 or 403. */
    public int statusCode() {
        return response.statusCode();
    }

    /** The response reason phrase, e.g. "Switching Protocols" or "Forbidden" (as sent; may be empty). */
    public String reasonPhrase() {
        return response.reasonPhrase();
    }

    /** The response headers, in the order received, looked up ignoring case. */
    public HeaderFields headers() {
        return response.headers();
    }

    /** The response body of a refusal (empty on success and when there was none). */
    public String body() {
        return response.body();
    }

    /** The subprotocol the server selected, on success; empty when it selected none. */
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    /** Why the handshake was refused; empty on success. */
    public Optional<String> failureReason() {
        return Optional.ofNullable(failureReason);
    }

    @Override
    public String toString() {
        return "ClientHandshakeResult{" + (success ? "success" : "refused: " + failureReason)
                + ", status=" + statusCode() + ' ' + reasonPhrase()
                + (subprotocol != null ? ", subprotocol=" + subprotocol : "") + '}';
    }
}
