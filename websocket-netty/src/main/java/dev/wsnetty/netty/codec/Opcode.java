package dev.wsnetty.netty.codec;

/** The frame opcodes of RFC 6455 §5.2. Values 3–7 and 11–15 are reserved and rejected by the decoder. */
public final class Opcode {
    /** Continues a fragmented text or binary message. */
    public static final int CONTINUATION = 0x0;
    /** The first (or only) frame of a text message; its payload is UTF-8. */
    public static final int TEXT = 0x1;
    /** The first (or only) frame of a binary message. */
    public static final int BINARY = 0x2;
    /** Close control frame: an optional 2-byte code and a UTF-8 reason. */
    public static final int CLOSE = 0x8;
    /** Ping control frame; answered with a pong carrying the same payload. */
    public static final int PING = 0x9;
    /** Pong control frame. */
    public static final int PONG = 0xA;

    private Opcode() {
    }

    /** Whether {@code opcode} is a control opcode (close, ping, pong or a reserved control value). */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** Whether {@code opcode} is one RFC 6455 defines (not reserved). */
    public static boolean isDefined(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }

    /** A short name for logs and error messages. */
    public static String name(int opcode) {
        switch (opcode) {
            case CONTINUATION: return "continuation";
            case TEXT: return "text";
            case BINARY: return "binary";
            case CLOSE: return "close";
            case PING: return "ping";
            case PONG: return "pong";
            default: return "reserved(" + opcode + ")";
        }
    }
}
