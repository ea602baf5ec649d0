package dev.wsnetty.netty.handshake;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.time.Duration;

/**
 * Why a handshake is refused: the HTTP status and the text of the response body. Each refusal says
 * what was wrong, so a developer reading the response (or a browser's network tab) sees the cause.
 *
 * @param status        the response status
 * @param reason        the response body
 * @param offersVersion whether to add {@code Sec-WebSocket-Version: 13} (RFC 6455 §4.2.2 for 426)
 * @param retryAfter    the {@code Retry-After} to send, or null for none
 */
record HandshakeRefusal(HttpResponseStatus status, String reason, boolean offersVersion, Duration retryAfter) {
    /** The WebSocket version this server speaks. */
    static final String SUPPORTED_VERSION = "13";

    // Values from the request are echoed in reasons; this keeps a hostile header from bloating the answer.
    private static final int MAX_ECHOED_LENGTH = 64;

    /** A refusal without {@code Retry-After}. */
    HandshakeRefusal(HttpResponseStatus status, String reason, boolean offersVersion) {
        this(status, reason, offersVersion, null);
    }

    /** 503 with {@code Retry-After}: the endpoint has no handler thread for the connection. */
    static HandshakeRefusal endpointBusy(EndpointBusyException busy) {
        return new HandshakeRefusal(HttpResponseStatus.SERVICE_UNAVAILABLE, busy.getMessage(), false,
                busy.retryAfter());
    }

    /** 400: the request is not a valid WebSocket handshake; {@code what} names the faulty part. */
    static HandshakeRefusal notWebSocket(String what) {
        return new HandshakeRefusal(HttpResponseStatus.BAD_REQUEST, "Not a WebSocket request: " + what, false);
    }

    /** 426 with the supported version, for a missing or other {@code Sec-WebSocket-Version}. */
    static HandshakeRefusal unsupportedVersion(String versionOrNull) {
        String reason = versionOrNull == null
                ? "Missing Sec-WebSocket-Version (supported: " + SUPPORTED_VERSION + ")"
                : "Unsupported Sec-WebSocket-Version: " + echo(versionOrNull) + " (supported: " + SUPPORTED_VERSION + ")";
        return new HandshakeRefusal(HttpResponseStatus.UPGRADE_REQUIRED, reason, true);
    }

    /** 403: the endpoint's {@code accept} said no (the original's exact body). */
    static HandshakeRefusal notAccepted() {
        return new HandshakeRefusal(HttpResponseStatus.FORBIDDEN, "Request not accepted by Handler", false);
    }

    /** 403: the endpoint's origin policy refused the {@code Origin}. */
    static HandshakeRefusal originNotAllowed(String origin) {
        return new HandshakeRefusal(HttpResponseStatus.FORBIDDEN,
                "Request not accepted by Handler: origin " + echo(origin) + " is not allowed", false);
    }

    /** 404: no route for the host and path (the original's exact body). */
    static HandshakeRefusal noRoute() {
        return new HandshakeRefusal(HttpResponseStatus.NOT_FOUND, "No Handler registered for this request", false);
    }

    /** 500: an endpoint hook failed; the details go to the log, not to the client. */
    static HandshakeRefusal serverError() {
        return new HandshakeRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "The server failed to handle the WebSocket handshake", false);
    }

    /** 503: the accept executor refused the work. */
    static HandshakeRefusal busy() {
        return new HandshakeRefusal(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "The server is too busy to accept the WebSocket handshake", false);
    }

    /** 408: the request did not arrive completely within the handshake timeout. */
    static HandshakeRefusal requestTimeout(Duration timeout) {
        return new HandshakeRefusal(HttpResponseStatus.REQUEST_TIMEOUT,
                "The WebSocket handshake request did not arrive within " + timeout.toMillis() + " ms", false);
    }

    /** 503: the endpoint took longer than the handshake timeout to decide. */
    static HandshakeRefusal decisionTimeout(Duration timeout) {
        return new HandshakeRefusal(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "The server did not accept the WebSocket handshake within " + timeout.toMillis() + " ms", false);
    }

    /** 414, 431 or 400 for a request the HTTP decoder could not read. */
    static HandshakeRefusal undecodable(Throwable cause, int maxLineLength, int maxHeaderSize) {
        if (cause instanceof TooLongHttpLineException) {
            return new HandshakeRefusal(HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    "Request line longer than " + maxLineLength + " bytes", false);
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new HandshakeRefusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "Request headers larger than " + maxHeaderSize + " bytes", false);
        }
        String detail = cause == null || cause.getMessage() == null ? "" : ": " + echo(cause.getMessage());
        return new HandshakeRefusal(HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request" + detail, false);
    }

    /** Quotes a value taken from the request, cut to a bounded length. */
    static String echo(String value) {
        String v = value.length() > MAX_ECHOED_LENGTH ? value.substring(0, MAX_ECHOED_LENGTH) + "..." : value;
        return '"' + v + '"';
    }
}
