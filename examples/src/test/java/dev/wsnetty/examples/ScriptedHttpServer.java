package dev.wsnetty.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A one-connection server speaking raw bytes, for the misbehaving servers the chat client must survive: it reads
 * one request head, answers what {@code answer} returns for it, then reads and drops everything until the client
 * closes, never answering a Close frame.
 */
final class ScriptedHttpServer implements AutoCloseable {
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket listener;
    private final Thread thread;

    private ScriptedHttpServer(UnaryOperator<String> answer) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(answer), "scripted-http-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** A server that completes the WebSocket handshake and then never answers, not even a Close frame. */
    static ScriptedHttpServer silentAfterUpgrade() throws IOException {
        return new ScriptedHttpServer(request -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + acceptKey(header(request, "sec-websocket-key"))
                + "\r\n\r\n");
    }

    /** A server that refuses every handshake with a 404. */
    static ScriptedHttpServer refusing() throws IOException {
        return new ScriptedHttpServer(request -> "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 15\r\nConnection: close\r\n\r\nNo such route.\n");
    }

    int port() {
        return listener.getLocalPort();
    }

    private void serve(UnaryOperator<String> answer) {
        try (Socket socket = listener.accept()) {
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write(answer.apply(readHead(in)).getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            in.transferTo(OutputStreamSink.INSTANCE);
        } catch (IOException closed) {
            // The test is over or the client reset the connection: either way this server is done.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in " + head);
    }

    private static String acceptKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        thread.join(RunningExample.TIMEOUT.toMillis());
    }

    /** Where dropped bytes go. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
