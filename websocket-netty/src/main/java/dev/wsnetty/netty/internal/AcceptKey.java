package dev.wsnetty.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code Sec-WebSocket-Accept} value of RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). Used by the
 * server to answer and by the client to check the answer.
 */
public final class AcceptKey {
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    /** The length of a valid key (base64 of 16 bytes); longer keys take the allocating path. */
    private static final int KEY_LENGTH = 24;
    private static final int SHA1_LENGTH = 20;
    /** base64 of the 20-byte digest. */
    private static final int ACCEPT_LENGTH = 28;

    // MessageDigest is not thread-safe and costly to look up; one per thread is reused, with scratch arrays so that
    // the server's answer to a handshake allocates nothing here.
    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() throws NoSuchAlgorithmException {
            return new Scratch(MessageDigest.getInstance("SHA-1"));
        }
    };

    private AcceptKey() {
    }

    /** The accept value for the client's {@code Sec-WebSocket-Key} (taken as sent, ASCII). */
    public static String of(String secWebSocketKey) {
        MessageDigest sha1 = SCRATCH.get().sha1;
        sha1.reset();
        sha1.update(secWebSocketKey.getBytes(StandardCharsets.US_ASCII));
        sha1.update(GUID);
        return Base64.getEncoder().encodeToString(sha1.digest());
    }

    /**
     * Writes the accept value for {@code secWebSocketKey} (ASCII) to {@code out}, the same bytes as {@link #of}
     * gives, without allocating for a key of the valid length.
     */
    public static void writeTo(ByteBuf out, CharSequence secWebSocketKey) {
        if (secWebSocketKey.length() != KEY_LENGTH) {
            out.writeCharSequence(of(secWebSocketKey.toString()), StandardCharsets.US_ASCII);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i = 0; i < KEY_LENGTH; i++) {
            // US-ASCII as String.getBytes does it: anything else becomes '?'.
            char c = secWebSocketKey.charAt(i);
            s.input[i] = c < 0x80 ? (byte) c : (byte) '?';
        }
        s.sha1.reset();
        s.sha1.update(s.input, 0, s.input.length);
        try {
            s.sha1.digest(s.digest, 0, SHA1_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 digest does not fit 20 bytes", e);
        }
        Base64.getEncoder().encode(s.digest, s.accept);
        out.writeBytes(s.accept);
    }

    /** One thread's digest and arrays: the key and GUID, the digest, its base64. */
    private static final class Scratch {
        final MessageDigest sha1;
        final byte[] input = new byte[KEY_LENGTH + GUID.length];
        final byte[] digest = new byte[SHA1_LENGTH];
        final byte[] accept = new byte[ACCEPT_LENGTH];

        Scratch(MessageDigest sha1) {
            this.sha1 = sha1;
            System.arraycopy(GUID, 0, input, KEY_LENGTH, GUID.length);
        }
    }
}
