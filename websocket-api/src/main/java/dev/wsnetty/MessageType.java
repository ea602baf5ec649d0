package dev.wsnetty;

/**
 * The kinds of WebSocket message a {@link Communicator} receives or writes; the counterpart of the original
 * library's {@code TWebsocketMessageType} (continuation is not exposed: fragments are handled for you).
 *
 * <p>{@link #STRING}, {@link #BINARY} and {@link #PONG} are the types that arrive in a communicator's queue and
 * that {@link Communicator#waitForMessage(java.util.Set)} accepts. {@link #PING} and {@link #CLOSE} can only be
 * written ({@link Communicator#writeMessage(MessageType, int)}): incoming pings are answered automatically and
 * an incoming close ends the connection.
 */
public enum MessageType {
    /** A text message (opcode 0x1); its payload is UTF-8. */
    STRING(WebSocketProtocol.OPCODE_TEXT),
    /** A binary message (opcode 0x2). */
    BINARY(WebSocketProtocol.OPCODE_BINARY),
    /** A close control frame (opcode 0x8); writable only. */
    CLOSE(WebSocketProtocol.OPCODE_CLOSE),
    /** A ping control frame (opcode 0x9); writable only, at most 125 bytes. */
    PING(WebSocketProtocol.OPCODE_PING),
    /** A pong control frame (opcode 0xA); queued when received, and writable as an unsolicited pong. */
    PONG(WebSocketProtocol.OPCODE_PONG);

    private final int opcode;

    MessageType(int opcode) {
        this.opcode = opcode;
    }

    /** The RFC 6455 opcode ({@link WebSocketProtocol}) of the first (or only) frame of a message of this type. */
    public int opcode() {
        return opcode;
    }

    /** Whether messages of this type are control frames (close, ping, pong): at most 125 bytes, never fragmented. */
    public boolean isControl() {
        return WebSocketProtocol.isControl(opcode);
    }

    /** Whether messages of this type are put into a communicator's queue (string, binary and pong). */
    public boolean isReceivable() {
        return this == STRING || this == BINARY || this == PONG;
    }
}
