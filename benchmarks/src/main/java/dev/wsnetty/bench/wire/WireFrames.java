package dev.wsnetty.bench.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Writes and reads single RFC 6455 frames as byte arrays. Written independently of both codecs under
 * test so that it can build their input and check their output.
 */
public final class WireFrames {
    /** Opcode of a text frame. */
    public static final int TEXT = 0x1;
    /** Opcode of a binary frame. */
    public static final int BINARY = 0x2;
    /** Opcode of a close frame. */
    public static final int CLOSE = 0x8;

    private WireFrames() {
    }

    /** One frame as the server sends it: unmasked. */
    public static byte[] unmasked(int opcode, boolean fin, byte[] payload) {
        return encode(opcode, fin, payload, false, 0);
    }

    /** One frame as a client sends it: masked with {@code mask} (big-endian, as on the wire). */
    public static byte[] masked(int opcode, boolean fin, byte[] payload, int mask) {
        return encode(opcode, fin, payload, true, mask);
    }

    private static byte[] encode(int opcode, boolean fin, byte[] payload, boolean masked, int mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        int length = payload.length;
        if (length < 126) {
            out.write(maskBit | length);
        } else if (length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        if (masked) {
            out.write(key, 0, 4);
        }
        for (int i = 0; i < length; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    /**
     * Reads exactly one frame that fills {@code bytes}.
     *
     * @throws IllegalArgumentException when the bytes are not exactly one well-formed frame
     */
    public static Frame parse(byte[] bytes) {
        if (bytes.length < 2) {
            throw new IllegalArgumentException("a frame needs at least 2 bytes, got " + bytes.length);
        }
        int b0 = bytes[0] & 0xFF;
        int b1 = bytes[1] & 0xFF;
        boolean masked = (b1 & 0x80) != 0;
        int pos = 2;
        long length = b1 & 0x7F;
        if (length == 126) {
            length = ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
            pos = 4;
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (bytes[2 + i] & 0xFF);
            }
            pos = 10;
        }
        byte[] key = masked ? Arrays.copyOfRange(bytes, pos, pos + 4) : null;
        pos += masked ? 4 : 0;
        if (bytes.length - pos != length) {
            throw new IllegalArgumentException("header says " + length + " payload bytes, "
                    + (bytes.length - pos) + " follow");
        }
        byte[] payload = Arrays.copyOfRange(bytes, pos, bytes.length);
        if (masked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, (b0 & 0x70) >>> 4, masked, payload);
    }

    /**
     * A parsed frame.
     *
     * @param opcode the opcode
     * @param fin the FIN bit
     * @param rsv the three RSV bits
     * @param masked whether the frame was masked
     * @param payload the unmasked payload
     */
    public record Frame(int opcode, boolean fin, int rsv, boolean masked, byte[] payload) {
    }
}
