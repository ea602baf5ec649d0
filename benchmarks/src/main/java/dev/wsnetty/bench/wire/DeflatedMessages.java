package dev.wsnetty.bench.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * permessage-deflate (RFC 7692) payloads for the load tools, with java.util.zip and apart from the codecs under
 * test: a message compressed on its own (a sender may always compress without context takeover, whatever was
 * agreed, so one compressed frame can be sent again and again), and an offer's answer read.
 */
public final class DeflatedMessages {
    /** RSV1 in a frame's first byte: set on the first frame of a compressed message. */
    public static final int RSV1 = 0x40;
    /** What Chromium offers, and so what the load tools offer. */
    public static final String BROWSER_OFFER = "permessage-deflate; client_max_window_bits";
    /** The compression level both servers use by default (zlib's own default). */
    private static final int LEVEL = 6;
    /** RFC 7692 §7.2.1: a message ends with an empty stored block, whose 4 bytes are left off on the wire. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private DeflatedMessages() {
    }

    /** {@code message} compressed as the payload of a permessage-deflate message of its own, at level 6. */
    public static byte[] compress(byte[] message) {
        Deflater deflater = new Deflater(LEVEL, true);
        try {
            deflater.setInput(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
            byte[] buffer = new byte[8192];
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length);
            byte[] flushed = out.toByteArray();
            return Arrays.copyOf(flushed, flushed.length - TAIL.length);
        } finally {
            deflater.end();
        }
    }

    /**
     * Inflates one message's payload with {@code inflater} (kept across messages when the peer takes over
     * context) into {@code into}.
     *
     * @return the inflated length; {@code into.length} or more means it did not fit
     * @throws IllegalStateException if the payload is not deflate data
     */
    public static int inflate(Inflater inflater, byte[] payload, int length, byte[] into) {
        try {
            inflater.setInput(payload, 0, length);
            int n = inflater.inflate(into);
            inflater.setInput(TAIL);
            while (n < into.length) {
                int more = inflater.inflate(into, n, into.length - n);
                if (more == 0) {
                    break;
                }
                n += more;
            }
            return n;
        } catch (DataFormatException e) {
            throw new IllegalStateException("the compressed echo is not deflate data: " + e.getMessage());
        }
    }

    /** Whether the server's answer (its Sec-WebSocket-Extensions value, null for none) agreed permessage-deflate. */
    public static boolean agreed(String answer) {
        return answer != null && answer.trim().toLowerCase().startsWith("permessage-deflate");
    }

    /** Whether the answer tells the client that the server compresses each message afresh. */
    public static boolean serverStartsEachMessageAfresh(String answer) {
        return answer != null && answer.toLowerCase().contains("server_no_context_takeover");
    }
}
