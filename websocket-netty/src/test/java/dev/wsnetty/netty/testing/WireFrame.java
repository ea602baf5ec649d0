package dev.wsnetty.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One frame as a raw peer read it off the socket: the header fields, the masking key if any, and the payload,
 * already unmasked. {@link #readBytes} reads one whole frame exactly as sent, {@link #parse} takes it apart.
 *
 * @param fin     the FIN bit
 * @param rsv     the three RSV bits, as a number from 0 to 7
 * @param opcode  the opcode
 * @param masked  whether the MASK bit was set
 * @param key     the masking key as sent, big-endian (0 when not masked)
 * @param payload the payload, unmasked
 */
public record WireFrame(boolean fin, int rsv, int opcode, boolean masked, int key, byte[] payload) {
    /**
     * Reads one whole frame (header, masking key if any, payload) and returns its bytes as they were sent.
     *
     * @throws EOFException if the stream ends within the frame
     */
    public static byte[] readBytes(InputStream in) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        byte[] head = readExactly(in, 2, frame);
        int shortLength = head[1] & 0x7F;
        long length = shortLength;
        if (shortLength >= 126) {
            length = 0;
            for (byte b : readExactly(in, shortLength == 126 ? 2 : 8, frame)) {
                length = (length << 8) | (b & 0xFF);
            }
        }
        if ((head[1] & 0x80) != 0) {
            readExactly(in, 4, frame);
        }
        readExactly(in, Math.toIntExact(length), frame);
        return frame.toByteArray();
    }

    /** Takes apart the bytes of exactly one frame, as {@link #readBytes} returns them. */
    public static WireFrame parse(byte[] frame) {
        int b0 = frame[0] & 0xFF;
        int b1 = frame[1] & 0xFF;
        int at = 2;
        int shortLength = b1 & 0x7F;
        if (shortLength >= 126) {
            at += shortLength == 126 ? 2 : 8;
        }
        boolean masked = (b1 & 0x80) != 0;
        int key = 0;
        if (masked) {
            for (int i = 0; i < 4; i++) {
                key = (key << 8) | (frame[at++] & 0xFF);
            }
        }
        byte[] payload = Arrays.copyOfRange(frame, at, frame.length);
        return new WireFrame((b0 & 0x80) != 0, (b0 & 0x70) >>> 4, b0 & 0x0F, masked, key,
                masked ? Frames.mask(payload, key) : payload);
    }

    /** Reads and takes apart one frame. */
    public static WireFrame read(InputStream in) throws IOException {
        return parse(readBytes(in));
    }

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** A Close frame's status code (1005, "no status", when the payload is empty). */
    public int closeCode() {
        assertEquals(0x8, opcode, "not a Close frame");
        return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    /** A Close frame's reason ("" when there is none). */
    public String closeReason() {
        assertEquals(0x8, opcode, "not a Close frame");
        return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "WireFrame[opcode " + opcode + (fin ? ", FIN" : "") + (rsv != 0 ? ", RSV " + rsv : "")
                + (masked ? ", masked" : "") + ", payload " + Bytes.hex(payload) + "]";
    }

    private static byte[] readExactly(InputStream in, int n, ByteArrayOutputStream into) throws IOException {
        byte[] bytes = in.readNBytes(n);
        into.writeBytes(bytes);
        if (bytes.length < n) {
            throw new EOFException("the stream ended after " + into.size() + " bytes of a frame: "
                    + Bytes.hex(into.toByteArray()));
        }
        return bytes;
    }
}
