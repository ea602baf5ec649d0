package dev.wsnetty.netty.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Raw RFC 6455 frames, byte by byte, including malformed ones: what a client sends (masked with
 * {@link #KEY}) and what a server is expected to send (unmasked, shortest length form).
 */
final class WireFrames {
    /** The masking key of every client frame built here. */
    static final int KEY = 0x37FA213D;

    // First bytes: FIN bit plus opcode.
    static final int TEXT = 0x81;
    static final int BINARY = 0x82;
    static final int CLOSE = 0x88;
    static final int PING = 0x89;
    static final int PONG = 0x8A;
    static final int TEXT_FIRST = 0x01;
    static final int BINARY_FIRST = 0x02;
    static final int CONTINUATION = 0x00;
    static final int CONTINUATION_LAST = 0x80;

    private WireFrames() {
    }

    /** A client frame: masked with {@link #KEY}, shortest length form. */
    static byte[] client(int firstByte, byte[] payload) {
        return frame(firstByte, shortestForm(payload.length), payload.length, payload, true);
    }

    /**
     * A client frame with an explicit length form (7, 16 or 64 bits) and announced length, which may
     * differ from the payload appended: for non-minimal lengths and for frames sent only in part.
     */
    static byte[] client(int firstByte, int lengthForm, long announced, byte[] payload) {
        return frame(firstByte, lengthForm, announced, payload, true);
    }

    /** A frame as a client must never send it: not masked. */
    static byte[] unmaskedClient(int firstByte, byte[] payload) {
        return frame(firstByte, shortestForm(payload.length), payload.length, payload, false);
    }

    /** A server frame: unmasked, shortest length form. */
    static byte[] server(int firstByte, byte[] payload) {
        return frame(firstByte, shortestForm(payload.length), payload.length, payload, false);
    }

    /** The Close frame a server sends with this code and reason. */
    static byte[] serverClose(int code, String reason) {
        return server(CLOSE, closePayload(code, reason));
    }

    /** A Close payload: the code as two bytes, then the reason in UTF-8. */
    static byte[] closePayload(int code, String reason) {
        return concat(new byte[] {(byte) (code >>> 8), (byte) code}, utf8(reason));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes from ints, for payloads written as numbers ({@code bytes(0xC3, 0x28)}). */
    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** {@code n} bytes counting up from 0, wrapping at 256. */
    static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** XORs {@code data} with a masking key (RFC 6455 §5.3), which masks and unmasks alike. */
    static byte[] unmask(byte[] data, int key) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (byte) (data[i] ^ (key >>> (24 - 8 * (i & 3))));
        }
        return out;
    }

    private static int shortestForm(int length) {
        return length <= 125 ? 7 : length <= 0xFFFF ? 16 : 64;
    }

    private static byte[] frame(int firstByte, int lengthForm, long announced, byte[] payload, boolean masked) {
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
                out.write(KEY >>> shift);
            }
            out.writeBytes(unmask(payload, KEY));
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }
}
