package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of one opening handshake in raw bytes: the upgrade request, then reading the server's
 * response up to the blank line and checking it is a proper 101 (RFC 6455 §4.1). Written apart from the
 * library under test, so a broken server handshake is caught rather than agreed with.
 */
final class ClientHandshake {
    private static final int MAX_RESPONSE = 8192;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final String request;
    private final String expectedAccept;
    private final StringBuilder response = new StringBuilder(256);
    /** The 101's Sec-WebSocket-Extensions value; null until read, or when it has none. */
    private String extensions;

    ClientHandshake(String host, int port, String path) {
        this(host, port, path, null);
    }

    /** @param offer the request's Sec-WebSocket-Extensions value, or null for none */
    ClientHandshake(String host, int port, String path, String offer) {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n")
                + "\r\n";
        expectedAccept = accept(key);
    }

    /** The upgrade request. */
    ByteBuf request(ByteBufAllocator alloc) {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /**
     * Reads response bytes from {@code in}, stopping right after the header block, so anything that
     * follows stays readable.
     *
     * @return whether the whole response has been read (and accepted)
     * @throws IllegalStateException when the response is not a valid 101, saying why
     */
    boolean read(ByteBuf in) {
        while (in.isReadable()) {
            response.append((char) (in.readByte() & 0xFF));
            int n = response.length();
            if (n >= 4 && response.charAt(n - 1) == '\n' && response.charAt(n - 2) == '\r'
                    && response.charAt(n - 3) == '\n' && response.charAt(n - 4) == '\r') {
                check();
                return true;
            }
            if (n > MAX_RESPONSE) {
                throw new IllegalStateException("handshake response longer than " + MAX_RESPONSE + " bytes");
            }
        }
        return false;
    }

    /** The server's Sec-WebSocket-Extensions answer, null if it sent none; once {@link #read} returned true. */
    String extensions() {
        return extensions;
    }

    private void check() {
        String[] lines = response.toString().split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("handshake refused: " + lines[0]);
        }
        boolean upgrade = false;
        boolean connection = false;
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade":
                    upgrade = value.equalsIgnoreCase("websocket");
                    break;
                case "connection":
                    connection = value.toLowerCase(Locale.ROOT).contains("upgrade");
                    break;
                case "sec-websocket-accept":
                    accept = value;
                    break;
                case "sec-websocket-extensions":
                    extensions = value;
                    break;
                default:
                    break;
            }
        }
        if (!upgrade || !connection) {
            throw new IllegalStateException("101 without Upgrade: websocket / Connection: Upgrade");
        }
        if (!expectedAccept.equals(accept)) {
            throw new IllegalStateException("Sec-WebSocket-Accept is " + accept + ", expected " + expectedAccept);
        }
    }

    private static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
