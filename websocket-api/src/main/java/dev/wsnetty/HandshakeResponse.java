package dev.wsnetty;

import java.util.List;
import java.util.Objects;

/**
 * The server's answer to a client's upgrade request, as the client's handshake success and failure events report
 * it (the original's {@code TResponseData}): status, reason phrase, headers and, for a refusal, the body. Unlike
 * the original, the headers stay valid after the event. Immutable.
 */
public final class HandshakeResponse {
    private final int statusCode;
    private final String reasonPhrase;
    private final HeaderFields headers;
    private final String body;

    /**
     * A handshake response as the transport parsed it.
     *
     * @param statusCode   the HTTP status code, e.g. 101 or 403
     * @param reasonPhrase the reason phrase of the status line; null becomes ""
     * @param headers      the response headers, in order
     * @param body         the response body decoded as UTF-8 ("" for a 101 or when there was none; null becomes "")
     */
    public HandshakeResponse(int statusCode, String reasonPhrase, HeaderFields headers, String body) {
        this.statusCode = statusCode;
        this.reasonPhrase = reasonPhrase == null ? "" : reasonPhrase;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body == null ? "" : body;
    }

    /** The HTTP status code (101 on success). */
    public int statusCode() {
        return statusCode;
    }

    /** The reason phrase of the status line, e.g. "Switching Protocols" or "Forbidden". */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** The value of the first header named {@code name} (ignoring case), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Every value of the headers named {@code name} (ignoring case), in order. */
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    /** All response headers, in order. */
    public HeaderFields headers() {
        return headers;
    }

    /** The response body ("" when there was none). */
    public String body() {
        return body;
    }

    /** Status line and body size, for logs. */
    @Override
    public String toString() {
        return "HandshakeResponse[" + statusCode + ' ' + reasonPhrase + ", body " + body.length() + " chars]";
    }
}
