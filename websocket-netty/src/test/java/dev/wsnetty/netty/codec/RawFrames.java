package dev.wsnetty.netty.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Builds raw wire frames byte by byte, including malformed ones, for feeding the decoder (and, through
 * {@code wire.WireFrames}, for raw sockets).
 */
public final class RawFrames {
    /** The masking key used by {@link #masked}. */
    static final int KEY = 0x37FA213D;

    private RawFrames() {
    }

    /** A frame as a client sends it: masked with {@link #KEY}, shortest length form. */
    static byte[] masked(boolean fin, int opcode, byte[] payload) {
        return frame((fin ? 0x80 : 0) | opcode, payload, true, KEY);
    }

    /** A frame as a server sends it: unmasked, shortest length form. */
    static byte[] unmasked(boolean fin, int opcode, byte[] payload) {
        return frame((fin ? 0x80 : 0) | opcode, payload, false, 0);
    }

    /** A frame for {@code role}'s decoder to accept: masked towards a server, unmasked towards a client. */
    static byte[] to(Role role, boolean fin, int opcode, byte[] payload) {
        return role == Role.SERVER ? masked(fin, opcode, payload) : unmasked(fin, opcode, payload);
    }

    /** A frame with the given first byte (FIN, RSV, opcode) in the shortest length form. */
    public static byte[] frame(int firstByte, byte[] payload, boolean masked, int key) {
        int form = payload.length <= 125 ? 7 : payload.length <= 0xFFFF ? 16 : 64;
        return frame(firstByte, form, payload.length, payload, masked, key);
    }

    /**
     * A frame with an explicit length form (7, 16 or 64 bits) and announced length, which may differ from
     * the payload actually appended (to build non-minimal or lying headers).
     */
    public static byte[] frame(int firstByte, int lengthForm, long announced, byte[] payload, boolean masked,
                               int key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
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
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ (key >>> (24 - 8 * (i & 3))) : payload[i]);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A close payload: the code as two bytes, then the reason bytes. */
    static byte[] closePayload(int code, byte[] reason) {
        return concat(new byte[] {(byte) (code >>> 8), (byte) code}, reason);
    }

    public static byte[] repeat(int b, int n) {
        byte[] bytes = new byte[n];
        java.util.Arrays.fill(bytes, (byte) b);
        return bytes;
    }
}
