package dev.wsnetty.netty.testing;

import dev.wsnetty.netty.codec.Role;

import java.io.ByteArrayOutputStream;

/**
 * RFC 6455 frames built byte by byte, including malformed ones (reserved bits, reserved opcodes, non-minimal or
 * lying lengths, unmasked client frames): what a client sends, masked with the fixed key {@link #KEY}, and what
 * a server sends, unmasked. Every frame is in the shortest length form unless a method takes the form.
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
 * </pre>
 */
public final class Frames {
    /** The masking key of every client frame built here (the key of the example in RFC 6455 §5.7). */
    public static final int KEY = 0x37FA213D;

    // First bytes (FIN bit and opcode), for the methods that take one.
    /** A whole text message in one frame: FIN, opcode 0x1. */
    public static final int TEXT = 0x81;
    /** A whole binary message in one frame: FIN, opcode 0x2. */
    public static final int BINARY = 0x82;
    /** A Close frame: FIN, opcode 0x8. */
    public static final int CLOSE = 0x88;
    /** A Ping frame: FIN, opcode 0x9. */
    public static final int PING = 0x89;
    /** A Pong frame: FIN, opcode 0xA. */
    public static final int PONG = 0x8A;
    /** The first frame of a fragmented text message: no FIN, opcode 0x1. */
    public static final int TEXT_FIRST = 0x01;
    /** The first frame of a fragmented binary message: no FIN, opcode 0x2. */
    public static final int BINARY_FIRST = 0x02;
    /** A continuation frame that is not the last: no FIN, opcode 0x0. */
    public static final int CONTINUATION = 0x00;
    /** The last continuation frame of a message: FIN, opcode 0x0. */
    public static final int CONTINUATION_LAST = 0x80;

    private Frames() {
    }

    /** A frame as a client sends it: masked with {@link #KEY}. */
    public static byte[] masked(boolean fin, int opcode, byte[] payload) {
        return frame((fin ? 0x80 : 0) | opcode, payload, true, KEY);
    }

    /** A frame as a server sends it: unmasked. */
    public static byte[] unmasked(boolean fin, int opcode, byte[] payload) {
        return frame((fin ? 0x80 : 0) | opcode, payload, false, 0);
    }

    /** A frame that {@code role}'s decoder accepts: masked towards a server, unmasked towards a client. */
    public static byte[] to(Role role, boolean fin, int opcode, byte[] payload) {
        return role == Role.SERVER ? masked(fin, opcode, payload) : unmasked(fin, opcode, payload);
    }

    /** A client frame with this first byte (FIN, RSV bits, opcode), masked with {@link #KEY}. */
    public static byte[] client(int firstByte, byte[] payload) {
        return frame(firstByte, payload, true, KEY);
    }

    /**
     * A client frame with an explicit length form and announced length, which may differ from the payload
     * appended: for non-minimal lengths and for frames sent only in part.
     *
     * @param lengthForm 7, 16 or 64: the bits of the payload length field
     */
    public static byte[] client(int firstByte, int lengthForm, long announced, byte[] payload) {
        return frame(firstByte, lengthForm, announced, payload, true, KEY);
    }

    /** A client frame as a client must never send it: not masked. */
    public static byte[] unmaskedClient(int firstByte, byte[] payload) {
        return frame(firstByte, payload, false, 0);
    }

    /** A server frame with this first byte: unmasked. */
    public static byte[] server(int firstByte, byte[] payload) {
        return frame(firstByte, payload, false, 0);
    }

    /** The Close frame a server sends with this code and reason. */
    public static byte[] serverClose(int code, String reason) {
        return server(CLOSE, closePayload(code, reason));
    }

    /** A frame with this first byte in the shortest length form; {@code key} is used only when masked. */
    public static byte[] frame(int firstByte, byte[] payload, boolean masked, int key) {
        int form = payload.length <= 125 ? 7 : payload.length <= 0xFFFF ? 16 : 64;
        return frame(firstByte, form, payload.length, payload, masked, key);
    }

    /**
     * A frame with an explicit length form and announced length, which may differ from the payload actually
     * appended (to build non-minimal or lying headers).
     *
     * @param lengthForm 7, 16 or 64: the bits of the payload length field
     * @param key        the masking key, big-endian as on the wire; used only when {@code masked}
     */
    public static byte[] frame(int firstByte, int lengthForm, long announced, byte[] payload, boolean masked,
                               int key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (lengthForm == 7) {
            out.write(maskBit | (int) announced);
        } else if (lengthForm == 16) {
            out.write(maskBit | 126);
            out.write((int) (announced >>> 8));
            out.write((int) announced);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (announced >>> shift));
            }
        }
        if (masked) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write(key >>> shift);
            }
            out.writeBytes(mask(payload, key));
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    /** A Close payload: the code as two bytes, then the reason bytes (which need not be UTF-8). */
    public static byte[] closePayload(int code, byte[] reason) {
        return Bytes.concat(new byte[] {(byte) (code >>> 8), (byte) code}, reason);
    }

    /** A Close payload: the code as two bytes, then the reason in UTF-8. */
    public static byte[] closePayload(int code, String reason) {
        return closePayload(code, Bytes.utf8(reason));
    }

    /** {@code data} XORed with a masking key (RFC 6455 §5.3), which masks and unmasks alike. */
    public static byte[] mask(byte[] data, int key) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (byte) (data[i] ^ (key >>> (24 - 8 * (i & 3))));
        }
        return out;
    }
}
