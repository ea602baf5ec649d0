package dev.wsnetty.netty.internal;

import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code Sec-WebSocket-Accept} value of RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). Used by the
 * server to answer and by the client to check the answer.
 */
public final class AcceptKey {
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    // MessageDigest is not thread-safe and costly to look up; one per thread is reused.
    private static final FastThreadLocal<MessageDigest> SHA1 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
            return MessageDigest.getInstance("SHA-1");
        }
    };

    private AcceptKey() {
    }

    /** The accept value for the client's {@code Sec-WebSocket-Key} (taken as sent, ASCII). */
    public static String of(String secWebSocketKey) {
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        sha1.update(secWebSocketKey.getBytes(StandardCharsets.US_ASCII));
        sha1.update(GUID);
        return Base64.getEncoder().encodeToString(sha1.digest());
    }
}
