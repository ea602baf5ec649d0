package dev.wsnetty;

/**
 * The close status codes of RFC 6455 §7.4 and which of them may appear in a Close frame.
 *
 * <p>Valid on the wire: 1000–1003, 1007–1014 (1012–1014 are in the IANA registry of RFC 6455 §11.7: service
 * restart, try again later, bad gateway) and the application/registered range 3000–4999. 1005
 * ({@link #NO_STATUS_RECEIVED}), 1006 ({@link #ABNORMAL_CLOSURE}) and 1015 are reported locally but never sent.
 * (The Autobahn testsuite's own checker counts 1012–1014 as invalid when a testee sends them, and never sends them
 * itself; browsers, python-websockets and node's ws accept them. Of them wsnetty sends only {@link #TRY_AGAIN_LATER}.)
 */
public final class CloseCodes {
    /** 1000: the purpose of the connection has been fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: the endpoint is going away (server shutdown, browser leaving the page, idle timeout). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint cannot accept this type of data. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: the Close frame carried no status code (local only, never sent). */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** 1006: the connection closed without a Close frame (local only, never sent). */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: a text message or close reason was not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message was larger than the configured limit. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected an extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition (also used for a keep-alive pong timeout). */
    public static final int INTERNAL_ERROR = 1011;
    /**
     * 1013: the server is overloaded, the client may try again later (IANA registry of RFC 6455 §11.7); sent
     * when a connection holds too much of the server's inbound memory budget or falls behind its topics.
     */
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }

    /** Whether {@code code} may be sent in, or accepted from, a Close frame. */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
