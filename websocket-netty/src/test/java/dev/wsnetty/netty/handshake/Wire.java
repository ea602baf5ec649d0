package dev.wsnetty.netty.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Request texts and expected response texts, byte for byte. */
final class Wire {
    /** The key of the example in RFC 6455 §1.3 and its accept value. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** A masked text frame "hi" as a client sends it (the mask of the example in RFC 6455 §5.7). */
    static final byte[] MASKED_HI = {(byte) 0x81, (byte) 0x82, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x5f, (byte) 0x93};

    /** The Close frame with code 1000 and no reason that the server sends when the endpoint closes the channel. */
    static final byte[] CLOSE_1000 = {(byte) 0x88, 0x02, 0x03, (byte) 0xe8};

    private Wire() {
    }

    /** The request's bytes followed by the frame's, to be sent in one write. */
    static byte[] concat(String request, byte[] frame) {
        byte[] head = request.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + frame.length);
        System.arraycopy(frame, 0, all, head.length, frame.length);
        return all;
    }

    /** The response text followed by the frame's bytes as ISO-8859-1 text, as {@link RawClient} reads them. */
    static String then(String response, byte[] frame) {
        return response + new String(frame, StandardCharsets.ISO_8859_1);
    }

    /** A valid handshake request for {@code target}, to be varied. */
    static Request handshake(String target) {
        return new Request(target);
    }

    /** The exact 101 answer for {@link #KEY}: endpoint header lines first, then the handshake's. */
    static String switching(String subprotocol, String... endpointHeaderLines) {
        StringBuilder b = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        for (String line : endpointHeaderLines) {
            b.append(line).append("\r\n");
        }
        b.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ").append(ACCEPT).append("\r\n");
        if (subprotocol != null) {
            b.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** The exact refusal response, head and body. */
    static String refusal(int code, String phrase, String body, String... extraHeaderLines) {
        StringBuilder b = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(phrase).append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                .append("Connection: close\r\n");
        for (String line : extraHeaderLines) {
            b.append(line).append("\r\n");
        }
        return b.append("\r\n").append(body).toString();
    }

    /** A handshake request under construction; headers keep their order. */
    static final class Request {
        private String method = "GET";
        private final String target;
        private String version = "HTTP/1.1";
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Request(String target) {
            this.target = target;
            headers.put("Host", "example.com");
            headers.put("Upgrade", "websocket");
            headers.put("Connection", "Upgrade");
            headers.put("Sec-WebSocket-Key", KEY);
            headers.put("Sec-WebSocket-Version", "13");
        }

        Request method(String m) {
            method = m;
            return this;
        }

        Request version(String v) {
            version = v;
            return this;
        }

        /** Sets (replacing in place) or adds a header. */
        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request without(String name) {
            headers.remove(name);
            return this;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(method).append(' ').append(target).append(' ').append(version)
                    .append("\r\n");
            headers.forEach((n, v) -> b.append(n).append(": ").append(v).append("\r\n"));
            return b.append("\r\n").toString();
        }
    }
}
