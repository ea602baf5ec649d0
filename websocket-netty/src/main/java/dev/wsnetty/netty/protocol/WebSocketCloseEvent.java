package dev.wsnetty.netty.protocol;

import dev.wsnetty.CloseCodes;

import java.util.Objects;

/**
 * How a WebSocket connection ended. The {@link ProtocolHandler} fires exactly one of these as a user event
 * ({@code userEventTriggered}) when the channel becomes inactive, before passing {@code channelInactive} on.
 *
 * <p>Rules for the values:
 * <ul>
 *   <li>{@link #code()} and {@link #reason()}: the peer's Close code and reason when a Close frame was
 *       received ({@link CloseCodes#NO_STATUS_RECEIVED 1005} and an empty reason when it carried no code);
 *       otherwise the code and reason of the Close frame this endpoint sent when it failed or closed the
 *       connection and got no reply; otherwise (no Close frame either way: TCP FIN or RST)
 *       {@link CloseCodes#ABNORMAL_CLOSURE 1006} "connection lost".</li>
 *   <li>{@link #isRemote()}: true when the peer's Close frame started the closing handshake (it arrived
 *       before this endpoint had sent a Close frame).</li>
 *   <li>{@link #isClean()}: true when both Close frames were exchanged: the peer's was received and ours
 *       was written to the socket.</li>
 * </ul>
 */
public final class WebSocketCloseEvent {
    /** The event for a connection that ended without any Close frame. */
    public static final WebSocketCloseEvent CONNECTION_LOST =
            new WebSocketCloseEvent(CloseCodes.ABNORMAL_CLOSURE, "connection lost", false, false);

    private final int code;
    private final String reason;
    private final boolean remote;
    private final boolean clean;

    /**
     * Creates an event.
     *
     * @param code the close code, as described in the class comment
     * @param reason the close reason, never null (may be empty)
     * @param remote whether the peer started the closing handshake
     * @param clean whether both Close frames were exchanged
     */
    public WebSocketCloseEvent(int code, String reason, boolean remote, boolean clean) {
        this.code = code;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.remote = remote;
        this.clean = clean;
    }

    /** The close code (see the class comment for where it comes from). */
    public int code() {
        return code;
    }

    /** The close reason; empty when there was none. */
    public String reason() {
        return reason;
    }

    /** Whether the peer's Close frame started the closing handshake. */
    public boolean isRemote() {
        return remote;
    }

    /** Whether both Close frames were exchanged. */
    public boolean isClean() {
        return clean;
    }

    /** Equal when code, reason, remote and clean are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WebSocketCloseEvent)) {
            return false;
        }
        WebSocketCloseEvent other = (WebSocketCloseEvent) o;
        return code == other.code && remote == other.remote && clean == other.clean && reason.equals(other.reason);
    }

    /** A hash of all four values. */
    @Override
    public int hashCode() {
        return Objects.hash(code, reason, remote, clean);
    }

    /** For logs, e.g. {@code WebSocketCloseEvent(1000 "bye", remote, clean)}. */
    @Override
    public String toString() {
        return "WebSocketCloseEvent(" + code + " \"" + reason + "\"" + (remote ? ", remote" : ", local")
                + (clean ? ", clean" : ", unclean") + ')';
    }
}
