package dev.wsnetty.netty.protocol;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.codec.Role;

/**
 * The closing handshake of one connection (RFC 6455 §5.5.1, §7.1) as a state machine without I/O. The
 * {@link ProtocolHandler} reports each event and carries out the {@link Decision} it gets back: which Close
 * frame to send, when to close TCP, what to do with a frame. The handshake also keeps the close code and
 * reason, and makes the {@link WebSocketCloseEvent} when the channel goes inactive.
 *
 * <table>
 *   <caption>Events and their decisions</caption>
 *   <tr><th>event</th><th>method</th><th>decision</th></tr>
 *   <tr><td>a data, ping or pong frame is written</td><td>{@link #onWrite}</td>
 *       <td>{@code PASS}; {@code REFUSE} once our Close was sent (§5.5.1: nothing may follow it)</td></tr>
 *   <tr><td>a Close frame is written (by the application, or for the idle timeout)</td>
 *       <td>{@link #onLocalClose}</td><td>{@code SEND}; {@code IGNORE} once ours was sent; {@code REJECT} when
 *       it may not be sent</td></tr>
 *   <tr><td>a data or pong frame is received</td><td>{@link #onRead}</td>
 *       <td>{@code PASS}; {@code DROP} after the peer's Close and while lingering</td></tr>
 *   <tr><td>a ping is received</td><td>{@link #onPing}</td><td>{@code ANSWER_PING}; {@code DROP} once a Close
 *       was sent or received</td></tr>
 *   <tr><td>the peer's Close is received</td><td>{@link #onPeerClose}</td><td>{@code PASS}: pass it on, then
 *       report {@link #onPeerCloseDelivered}; {@code DROP} for a second one</td></tr>
 *   <tr><td>the peer's Close was passed on</td><td>{@link #onPeerCloseDelivered}</td><td>server:
 *       {@code ECHO_AND_CLOSE}, or {@code CLOSE} if ours was sent; client: {@code ECHO}, or {@code NONE} if
 *       ours was sent (it waits for the server to close TCP)</td></tr>
 *   <tr><td>the connection fails (protocol violation, internal error, pong timeout; §7.1.7)</td>
 *       <td>{@link #onFailure}</td><td>{@code SEND_AND_LINGER}, or {@code LINGER} once ours was sent,
 *       {@code NONE} while lingering; after the peer's Close: {@code SEND_AND_CLOSE}, or {@code CLOSE} once ours
 *       was sent</td></tr>
 *   <tr><td>{@code channel.close()}</td><td>{@link #onCloseRequested}</td><td>{@code SEND_AND_CLOSE} with 1000;
 *       {@code ECHO_AND_CLOSE} after the peer's Close; {@code CLOSE} once ours was sent or when not
 *       connected</td></tr>
 *   <tr><td>our Close reached the socket</td><td>{@link #onCloseWritten}</td><td>none (it makes the close
 *       clean)</td></tr>
 *   <tr><td>the close timeout passed</td><td>{@link #onCloseTimeout}</td><td>{@code CLOSE_NOW}</td></tr>
 *   <tr><td>the transport failed (an I/O error)</td><td>{@link #onTransportFailure}</td>
 *       <td>{@code CLOSE_NOW}: no Close frame could get through</td></tr>
 *   <tr><td>the channel went inactive</td><td>{@link #onChannelInactive}</td><td>the
 *       {@link WebSocketCloseEvent} to fire, once</td></tr>
 * </table>
 *
 * <p>Every decision that sends a Close also means: start the close timer, which bounds the wait for the
 * peer's Close (and, as a client, for the server to close TCP) and for our Close to be written.
 *
 * <p><b>Lingering</b> (RFC 6455 §7.1.1). An endpoint that fails a connection whose peer has not sent its Close
 * does not close TCP at once: the peer may still be sending (a message over the limit, say), and closing a
 * socket with unread input makes the kernel send a reset, which destroys our Close in the peer's receive
 * buffer before the peer reads it. So it lingers: it half-closes its output once our Close is written (the
 * peer reads our Close, then the end of the stream), keeps reading and discarding what arrives, and closes TCP
 * at the peer's Close, the peer's FIN (the channel goes inactive) or the close timeout, whichever comes
 * first. A client lingers too: the server may still be sending (a script that writes byte by byte, say), and
 * RFC 6455 has the client wait for the server to close TCP anyway.
 *
 * <p>One instance per connection, used on the channel's event loop only: no locks.
 */
final class CloseHandshake {
    // Bits of 'facts'.
    private static final int CLOSE_SENT = 1;
    private static final int CLOSE_RECEIVED = 1 << 1;
    /** Our Close frame reached the socket (needed for "clean"). */
    private static final int CLOSE_WRITTEN = 1 << 2;
    /** The peer's Close arrived before we had sent one. */
    private static final int REMOTE_STARTED = 1 << 3;
    /** The channel went inactive and the close event was made. */
    private static final int CLOSED = 1 << 4;
    /** We failed the connection and read on, discarding, until the peer's Close or FIN. */
    private static final int LINGERING = 1 << 5;

    private final boolean server;
    /** The bits above; a byte keeps this object at 24 bytes, which counts for every idle connection. */
    private byte facts;
    /** For the close event: the peer's code once its Close arrived, else the code of ours; 0 before either. */
    private int code;
    /** The reason that goes with {@link #code}; null before either Close. */
    private String reason;

    /**
     * @param role a server closes TCP as soon as the closing handshake is done; a client waits for the
     *             server to close it (RFC 6455 §7.1.1)
     */
    CloseHandshake(Role role) {
        this.server = role == Role.SERVER;
    }

    /** Whether this end is the server. */
    boolean isServer() {
        return server;
    }

    /** The state of the handshake, as seen from this end. */
    enum State {
        /** No Close frame either way. */
        OPEN,
        /** Ours was sent (perhaps not yet written to the socket); the peer's is awaited. */
        CLOSE_SENT,
        /**
         * Ours was sent to fail the connection; input is read and discarded until the peer's Close,
         * its FIN or the close timeout.
         */
        LINGERING,
        /** The peer's arrived and is being passed on; our reply comes next. */
        CLOSE_RECEIVED,
        /** Both were exchanged; what is left is closing TCP. */
        CLOSE_SENT_AND_RECEIVED,
        /** The channel is inactive. */
        CLOSED
    }

    /** What the protocol handler is to do after an event. */
    enum Decision {
        /** Pass the frame on: a received one to the next handler, a written one towards the socket. */
        PASS,
        /** Answer the received ping with a pong. */
        ANSWER_PING,
        /** Release the received frame: nothing counts after the peer's Close, and no pong follows a Close. */
        DROP,
        /** Release the written frame and fail its write with {@link CloseHandshakeStartedException}. */
        REFUSE,
        /** Release the written Close and let its write succeed: the connection is closing, as was asked. */
        IGNORE,
        /** Release the written Close and fail its write with {@link IllegalArgumentException}; nothing changed. */
        REJECT,
        /** Send the Close that was written, and wait for the peer's. */
        SEND,
        /** Send our Close (the event says which), then close TCP once it is written. */
        SEND_AND_CLOSE,
        /**
         * Send our Close (the event says which) and linger: half-close the output once it is written, and read
         * on, discarding, until the peer's Close, its FIN or the close timeout (see the class comment).
         */
        SEND_AND_LINGER,
        /** Our Close was sent already: linger as after {@code SEND_AND_LINGER}. */
        LINGER,
        /** Send the echo of the peer's Close ({@link #echoCode()}), and wait for the server to close TCP. */
        ECHO,
        /** Send the echo of the peer's Close ({@link #echoCode()}), then close TCP once it is written. */
        ECHO_AND_CLOSE,
        /** Close TCP once our Close, if one is on its way, is written. */
        CLOSE,
        /** Close TCP now. */
        CLOSE_NOW,
        /** Nothing to do now. */
        NONE
    }

    /** A data, ping or pong frame is being written: {@code PASS}, or {@code REFUSE} once our Close was sent. */
    Decision onWrite() {
        return has(CLOSE_SENT) ? Decision.REFUSE : Decision.PASS;
    }

    /**
     * A Close frame is being written, by the application or for the idle timeout: {@code SEND} (it is our
     * Close now), {@code IGNORE} once ours was sent, or {@code REJECT} when this one may not be sent (see
     * {@link #unsendableReason}).
     *
     * @param payloadLength the frame's payload length
     * @param code          its close code ({@link CloseCodes#NO_STATUS_RECEIVED} for an empty payload)
     * @param reason        its close reason, "" for none
     */
    Decision onLocalClose(int payloadLength, int code, String reason) {
        if (has(CLOSE_SENT)) {
            return Decision.IGNORE;
        }
        if (unsendableReason(payloadLength, code) != null) {
            return Decision.REJECT;
        }
        closeSent(code, reason);
        return Decision.SEND;
    }

    /**
     * A data or pong frame was received: {@code PASS}, or {@code DROP} after the peer's Close and while lingering
     * (what a failed connection still receives is discarded, not made into messages).
     */
    Decision onRead() {
        return has(CLOSE_RECEIVED | LINGERING) ? Decision.DROP : Decision.PASS;
    }

    /** A ping was received: {@code ANSWER_PING}, or {@code DROP} once a Close was sent or received. */
    Decision onPing() {
        return has(CLOSE_SENT | CLOSE_RECEIVED) ? Decision.DROP : Decision.ANSWER_PING;
    }

    /**
     * The peer's Close was received: {@code PASS} (pass it on, so that the application may write its own
     * reply, then report {@link #onPeerCloseDelivered}), or {@code DROP} if one was received before.
     *
     * @param code   its close code ({@link CloseCodes#NO_STATUS_RECEIVED} when it had none)
     * @param reason its close reason, "" for none
     */
    Decision onPeerClose(int code, String reason) {
        if (has(CLOSE_RECEIVED)) {
            return Decision.DROP;
        }
        facts |= has(CLOSE_SENT) ? CLOSE_RECEIVED : CLOSE_RECEIVED | REMOTE_STARTED;
        this.code = code;
        this.reason = reason;
        return Decision.PASS;
    }

    /**
     * The peer's Close was passed on. Unless the application replied with its own Close meanwhile, it is
     * answered with an echo; then a server closes TCP once its Close is written ({@code ECHO_AND_CLOSE} or
     * {@code CLOSE}), and a client waits for the server to close it ({@code ECHO} or {@code NONE}).
     */
    Decision onPeerCloseDelivered() {
        if (!has(CLOSE_RECEIVED)) {
            return Decision.NONE;
        }
        if (!has(CLOSE_SENT)) {
            facts |= CLOSE_SENT;
            return server ? Decision.ECHO_AND_CLOSE : Decision.ECHO;
        }
        return server ? Decision.CLOSE : Decision.NONE;
    }

    /**
     * The connection is to be failed (RFC 6455 §7.1.7). An endpoint whose peer may still be sending lingers:
     * {@code SEND_AND_LINGER} with this code and reason, {@code LINGER} once our Close was sent, {@code NONE}
     * while it lingers already. After the peer's Close: {@code SEND_AND_CLOSE}, or {@code CLOSE} once our Close
     * was sent.
     *
     * @param code   the close code to send
     * @param reason the close reason to send, already short enough for a Close frame
     */
    Decision onFailure(int code, String reason) {
        boolean linger = !has(CLOSE_RECEIVED);
        if (has(LINGERING)) {
            return Decision.NONE;
        }
        if (linger) {
            facts |= LINGERING;
        }
        if (has(CLOSE_SENT)) {
            return linger ? Decision.LINGER : Decision.CLOSE;
        }
        closeSent(code, reason);
        return linger ? Decision.SEND_AND_LINGER : Decision.SEND_AND_CLOSE;
    }

    /**
     * The channel is to be closed ({@code channel.close()}): {@code SEND_AND_CLOSE} with 1000 and no reason,
     * {@code ECHO_AND_CLOSE} when the peer's Close is being passed on, or just {@code CLOSE} once our Close
     * was sent or when the channel is not connected (a Close frame could not be written).
     *
     * @param connected whether the channel is active
     */
    Decision onCloseRequested(boolean connected) {
        if (has(CLOSE_SENT) || !connected) {
            return Decision.CLOSE;
        }
        if (has(CLOSE_RECEIVED)) {
            facts |= CLOSE_SENT;
            return Decision.ECHO_AND_CLOSE;
        }
        closeSent(CloseCodes.NORMAL_CLOSURE, "");
        return Decision.SEND_AND_CLOSE;
    }

    /** Our Close frame reached the socket: once the peer's arrives too, the close is clean. */
    void onCloseWritten() {
        facts |= CLOSE_WRITTEN;
    }

    /** The close timeout passed: {@code CLOSE_NOW}, whether or not our Close was written or answered. */
    Decision onCloseTimeout() {
        return Decision.CLOSE_NOW;
    }

    /** The transport failed with an I/O error (e.g. a reset): {@code CLOSE_NOW}, as no Close could get through. */
    Decision onTransportFailure() {
        return Decision.CLOSE_NOW;
    }

    /**
     * The channel went inactive: returns the {@link WebSocketCloseEvent} to fire, or null if it was made
     * before (so that it is fired exactly once).
     */
    WebSocketCloseEvent onChannelInactive() {
        if (has(CLOSED)) {
            return null;
        }
        facts |= CLOSED;
        return closeEvent();
    }

    /**
     * How the connection ended, or would end if the channel went inactive now; see {@link WebSocketCloseEvent}
     * for the rules.
     */
    WebSocketCloseEvent closeEvent() {
        if (has(CLOSE_RECEIVED)) {
            return new WebSocketCloseEvent(code, reason, has(REMOTE_STARTED), has(CLOSE_WRITTEN));
        }
        if (has(CLOSE_SENT)) {
            return new WebSocketCloseEvent(code, reason, false, false);
        }
        return WebSocketCloseEvent.CONNECTION_LOST;
    }

    /**
     * The code to echo after {@code ECHO} or {@code ECHO_AND_CLOSE}: the peer's, or
     * {@link CloseCodes#NO_STATUS_RECEIVED} when its Close had none (the echo is then an empty Close).
     */
    int echoCode() {
        return code;
    }

    /** Whether our Close frame was sent (or is on its way): no other frame may be sent any more. */
    boolean isCloseSent() {
        return has(CLOSE_SENT);
    }

    /** The state, for logs and tests. */
    State state() {
        if (has(CLOSED)) {
            return State.CLOSED;
        }
        if (has(LINGERING) && !has(CLOSE_RECEIVED)) {
            return State.LINGERING;
        }
        switch (facts & (CLOSE_SENT | CLOSE_RECEIVED)) {
            case CLOSE_SENT:
                return State.CLOSE_SENT;
            case CLOSE_RECEIVED:
                return State.CLOSE_RECEIVED;
            case CLOSE_SENT | CLOSE_RECEIVED:
                return State.CLOSE_SENT_AND_RECEIVED;
            default:
                return State.OPEN;
        }
    }

    /**
     * Why a Close frame with this payload may not be sent, or null when it may: RFC 6455 §5.5.1 allows an
     * empty payload, or a code that may be sent (§7.4) and a reason, 125 bytes at most.
     *
     * @param payloadLength the payload length
     * @param code          the close code, read from the first two payload bytes
     */
    static String unsendableReason(int payloadLength, int code) {
        if (payloadLength == 1 || payloadLength > WebSocketProtocol.MAX_CONTROL_PAYLOAD) {
            return "a Close frame payload must be empty or 2 to " + WebSocketProtocol.MAX_CONTROL_PAYLOAD
                    + " bytes, was " + payloadLength;
        }
        if (payloadLength >= 2 && !CloseCodes.isValidOnWire(code)) {
            return "close code " + code + " may not be sent";
        }
        return null;
    }

    private void closeSent(int code, String reason) {
        facts |= CLOSE_SENT;
        if (!has(CLOSE_RECEIVED)) {
            this.code = code;
            this.reason = reason;
        }
    }

    private boolean has(int bits) {
        return (facts & bits) != 0;
    }
}
