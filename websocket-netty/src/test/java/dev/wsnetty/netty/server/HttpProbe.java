package dev.wsnetty.netty.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends one raw HTTP request and reads the whole answer, for refusals and plain HTTP. */
final class HttpProbe {
    private HttpProbe() {
    }

    /** Sends a WebSocket upgrade request for {@code host} and {@code path}; returns the response, head and body. */
    static String upgrade(int port, String host, String path) throws IOException {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n", true);
    }

    /** Sends a plain GET and returns the response. */
    static String get(int port, String path) throws IOException {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", false);
    }

    /**
     * Sends {@code request}; reads the response head, then (unless it is a 101, after which the connection stays
     * open) the rest until the server closes the connection.
     */
    private static String exchange(int port, String request, boolean stopAfter101) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return head.toString();
                }
                head.append((char) b);
            }
            if (stopAfter101 && head.toString().startsWith("HTTP/1.1 101")) {
                return head.toString();
            }
            return head + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
