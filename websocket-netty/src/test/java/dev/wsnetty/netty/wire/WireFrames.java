package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.codec.RawFrames;

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
        return RawFrames.frame(firstByte, payload, true, KEY);
    }

    /**
     * A client frame with an explicit length form (7, 16 or 64 bits) and announced length, which may
     * differ from the payload appended: for non-minimal lengths and for frames sent only in part.
     */
    static byte[] client(int firstByte, int lengthForm, long announced, byte[] payload) {
        return RawFrames.frame(firstByte, lengthForm, announced, payload, true, KEY);
    }

    /** A frame as a client must never send it: not masked. */
    static byte[] unmaskedClient(int firstByte, byte[] payload) {
        return RawFrames.frame(firstByte, payload, false, 0);
    }

    /** A server frame: unmasked, shortest length form. */
    static byte[] server(int firstByte, byte[] payload) {
        return RawFrames.frame(firstByte, payload, false, 0);
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
}
