package dev.wsnetty;

/**
 * How a WebSocket connection ended: the close code and reason of the Close frame, or a local code when there was
 * none. The original library discarded both; here {@link Communicator#closeStatus()} and the
 * {@link CloseListener} report them.
 *
 * <p>Codes: see {@link CloseCodes}. {@code 1005} ({@link #NO_STATUS}) means the peer's Close frame carried no
 * code; {@code 1006} ({@link #ABNORMAL}) means the connection ended without a Close frame (reset, timeout, lost
 * network). Neither is ever sent on the wire.
 *
 * @param code   the close code, 0–65535
 * @param reason the close reason (at most 123 UTF-8 bytes when it came from a Close frame); never null, possibly
 *               empty (a null argument becomes "")
 */
public record CloseStatus(int code, String reason) {
    /** 1000 with no reason: the connection did its job. */
    public static final CloseStatus NORMAL = new CloseStatus(CloseCodes.NORMAL_CLOSURE, "");
    /** 1001 with no reason: an endpoint is going away (server shutdown, page left). */
    public static final CloseStatus GOING_AWAY = new CloseStatus(CloseCodes.GOING_AWAY, "");
    /** 1005: the peer's Close frame had no status code. */
    public static final CloseStatus NO_STATUS = new CloseStatus(CloseCodes.NO_STATUS_RECEIVED, "");
    /** 1006: the connection ended without a closing handshake. */
    public static final CloseStatus ABNORMAL = new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "");

    /** Checks the code range and replaces a null reason with "". */
    public CloseStatus {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("close code must be 0-65535, was " + code);
        }
        reason = reason == null ? "" : reason;
    }

    /** An abnormal closure (1006) with a reason saying what happened locally, e.g. "connection reset". */
    public static CloseStatus abnormal(String reason) {
        return new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, reason);
    }

    /** Whether the code is 1000 (normal closure). */
    public boolean isNormal() {
        return code == CloseCodes.NORMAL_CLOSURE;
    }

    /** "code" or "code "reason"", for messages and logs. */
    public String describe() {
        return reason.isEmpty() ? "code " + code : "code " + code + " \"" + reason + '"';
    }
}
