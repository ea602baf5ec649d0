package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.testing.UpgradeRequest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The handshake tests' expected answers and frames, byte for byte; the requests are {@link UpgradeRequest}s. */
final class Wire {
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

    /** The response text followed by the frame's bytes as ISO-8859-1 text, as a raw client reads them. */
    static String then(String response, byte[] frame) {
        return response + new String(frame, StandardCharsets.ISO_8859_1);
    }

    /** The exact 101 answer for {@link UpgradeRequest#KEY}: endpoint header lines first, then the handshake's. */
    static String switching(String subprotocol, String... endpointHeaderLines) {
        StringBuilder b = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        for (String line : endpointHeaderLines) {
            b.append(line).append("\r\n");
        }
        b.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ").append(UpgradeRequest.ACCEPT)
                .append("\r\n");
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
}
