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
    STRING(0x1),
    /** A binary message (opcode 0x2). */
    BINARY(0x2),
    /** A close control frame (opcode 0x8); writable only. */
    CLOSE(0x8),
    /** A ping control frame (opcode 0x9); writable only, at most 125 bytes. */
    PING(0x9),
    /** A pong control frame (opcode 0xA); queued when received, and writable as an unsolicited pong. */
    PONG(0xA);

    private final int opcode;

    MessageType(int opcode) {
        this.opcode = opcode;
    }

    /** The RFC 6455 opcode of the first (or only) frame of a message of this type. */
    public int opcode() {
        return opcode;
    }

    /** Whether messages of this type are control frames (close, ping, pong): at most 125 bytes, never fragmented. */
    public boolean isControl() {
        return (opcode & 0x8) != 0;
    }

    /** Whether messages of this type are put into a communicator's queue (string, binary and pong). */
    public boolean isReceivable() {
        return this == STRING || this == BINARY || this == PONG;
    }
}
