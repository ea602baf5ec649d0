package dev.wsnetty;

import java.nio.charset.StandardCharsets;

/**
 * The wire facts of RFC 6455 in one place: the frame header's bits, the opcodes, the control-frame limits and the
 * one rule for close reasons. Everything that reads or writes frames, in every module, takes them from here.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 * (RFC 6455 §5.2.) The {@code B0_*} constants are masks of the first byte, the {@code B1_*} ones of the second.
 *
 * <p><b>Close reasons.</b> One rule everywhere ({@link #closeReasonBytes}): a reason is at most
 * {@value #MAX_CLOSE_REASON_BYTES} bytes of UTF-8, the room a Close frame leaves after its 2-byte code; a longer one
 * is refused with an {@link IllegalArgumentException} that gives its size, never cut silently. This is what
 * {@link Communicator#close(int, String)}, the Netty frame factory and the protocol exceptions apply.
 */
public final class WebSocketProtocol {
    /** First byte: this frame is the last one of its message. */
    public static final int B0_FLAG_FIN = 0x80;
    /** First byte: reserved bit 1, set only by a negotiated extension (permessage-deflate uses it). */
    public static final int B0_FLAG_RSV1 = 0x40;
    /** First byte: reserved bit 2. */
    public static final int B0_FLAG_RSV2 = 0x20;
    /** First byte: reserved bit 3. */
    public static final int B0_FLAG_RSV3 = 0x10;
    /** First byte: the three reserved bits together. */
    public static final int B0_MASK_RSV = B0_FLAG_RSV1 | B0_FLAG_RSV2 | B0_FLAG_RSV3;
    /** First byte: the opcode. */
    public static final int B0_MASK_OPCODE = 0x0F;
    /** Second byte: the payload is masked (every client frame, no server frame). */
    public static final int B1_FLAG_MASK = 0x80;
    /** Second byte: the 7-bit payload length, or one of the two markers below. */
    public static final int B1_MASK_LENGTH = 0x7F;
    /** 7-bit length marker: the length follows as an unsigned 16-bit number. */
    public static final int PAYLOAD_LENGTH_16 = 126;
    /** 7-bit length marker: the length follows as a 64-bit number whose most significant bit is 0. */
    public static final int PAYLOAD_LENGTH_64 = 127;
    /** The largest payload length written in the 7 bits of the second byte. */
    public static final int PAYLOAD_SHORT_MAX = 125;
    /** The largest payload length written in 16 bits. */
    public static final int PAYLOAD_MEDIUM_MAX = 0xFFFF;
    /** The longest header: 2 bytes, a 64-bit length and a 4-byte masking key. */
    public static final int MAX_HEADER_LENGTH = 14;

    /** Continues a fragmented text or binary message. */
    public static final int OPCODE_CONTINUATION = 0x0;
    /** The first (or only) frame of a text message; its payload is UTF-8. */
    public static final int OPCODE_TEXT = 0x1;
    /** The first (or only) frame of a binary message. */
    public static final int OPCODE_BINARY = 0x2;
    /** Close control frame: an optional 2-byte code and a UTF-8 reason. */
    public static final int OPCODE_CLOSE = 0x8;
    /** Ping control frame; answered with a pong carrying the same payload. */
    public static final int OPCODE_PING = 0x9;
    /** Pong control frame. */
    public static final int OPCODE_PONG = 0xA;
    /** Opcodes with this bit set are control frames (§5.5). */
    public static final int OPCODE_FLAG_CONTROL = 0x8;

    /** The largest payload of a control frame (ping, pong, close): 125 bytes (§5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** The longest close reason: 123 bytes of UTF-8, what a control frame holds after the 2-byte code (§5.5.1). */
    public static final int MAX_CLOSE_REASON_BYTES = MAX_CONTROL_PAYLOAD - 2;

    private WebSocketProtocol() {
    }

    /** Whether {@code opcode} is a control opcode (close, ping, pong, or a reserved control value). */
    public static boolean isControl(int opcode) {
        return (opcode & OPCODE_FLAG_CONTROL) != 0;
    }

    /** Whether RFC 6455 defines {@code opcode}; values 3-7 and 11-15 are reserved. */
    public static boolean isDefinedOpcode(int opcode) {
        return opcode <= OPCODE_BINARY || (opcode >= OPCODE_CLOSE && opcode <= OPCODE_PONG);
    }

    /** A short name of {@code opcode} for logs and error messages, e.g. "text" or "reserved(3)". */
    public static String opcodeName(int opcode) {
        switch (opcode) {
            case OPCODE_CONTINUATION: return "continuation";
            case OPCODE_TEXT: return "text";
            case OPCODE_BINARY: return "binary";
            case OPCODE_CLOSE: return "close";
            case OPCODE_PING: return "ping";
            case OPCODE_PONG: return "pong";
            default: return "reserved(" + opcode + ")";
        }
    }

    /**
     * The close reason rule: {@code reason} as the UTF-8 bytes of a Close frame, an empty array for null or "".
     *
     * @throws IllegalArgumentException if it takes more than {@value #MAX_CLOSE_REASON_BYTES} bytes in UTF-8
     */
    public static byte[] closeReasonBytes(String reason) {
        if (reason == null || reason.isEmpty()) {
            return new byte[0];
        }
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_CLOSE_REASON_BYTES) {
            throw new IllegalArgumentException("close reason is " + bytes.length + " bytes in UTF-8; at most "
                    + MAX_CLOSE_REASON_BYTES + " fit in a Close frame");
        }
        return bytes;
    }

    /**
     * Checks {@code reason} against the close reason rule without keeping its bytes.
     *
     * @return {@code reason}, or "" for null
     * @throws IllegalArgumentException if it takes more than {@value #MAX_CLOSE_REASON_BYTES} bytes in UTF-8
     */
    public static String checkCloseReason(String reason) {
        // No char takes more than 3 bytes of UTF-8 (a surrogate pair takes 4 for 2 chars): short ones need no encoding.
        if (reason == null) {
            return "";
        }
        if (reason.length() > MAX_CLOSE_REASON_BYTES / 3) {
            closeReasonBytes(reason);
        }
        return reason;
    }
}
