package dev.wsnetty.netty.adapter;

import dev.wsnetty.netty.testing.HttpHeads;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A WebSocket client on a plain blocking socket, for tests that look at the wire: it does the opening handshake
 * by hand, sends masked frames of any shape and reads the server's frames one by one, each read with a deadline.
 */
public final class RawWebSocketClient implements AutoCloseable {
    /** How long a read waits before the test fails. */
    public static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocketClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port} and upgrades {@code path} with {@code Host: host}. */
    public static RawWebSocketClient connect(int port, String host, String path) throws IOException {
        return connect(port, host, path, s -> { });
    }

    /** Connects to 127.0.0.1:{@code port} and upgrades "/" with {@code Host: localhost}. */
    public static RawWebSocketClient connect(int port) throws IOException {
        return connect(port, "localhost", "/");
    }

    /**
     * Connects and upgrades, letting {@code configure} set socket options (e.g. a small receive buffer) before the
     * TCP connection is made.
     */
    public static RawWebSocketClient connect(int port, String host, String path, Consumer<Socket> configure)
            throws IOException {
        Socket socket = new Socket();
        configure.accept(socket);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        RawWebSocketClient client = new RawWebSocketClient(socket);
        String head = client.handshake(host, path);
        assertTrue(head.startsWith("HTTP/1.1 101 "), "expected 101, got: " + head);
        return client;
    }

    /** Sends an upgrade request and returns the response head (status line and headers). */
    private String handshake(String host, String path) throws IOException {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        sendRaw(request.getBytes(StandardCharsets.ISO_8859_1));
        return HttpHeads.read(in);
    }

    /** The socket, e.g. for its local port. */
    public Socket socket() {
        return socket;
    }

    /** Sends one masked frame. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        sendRaw(encode(opcode, fin, payload));
    }

    /** Sends a whole text message in one frame. */
    public void sendText(String text) throws IOException {
        sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a whole binary message in one frame. */
    public void sendBinary(byte[] data) throws IOException {
        sendFrame(0x2, true, data);
    }

    /** Sends a Close frame with a code and reason. */
    public void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        sendFrame(0x8, true, ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r).array());
    }

    /** Writes bytes as they are. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A masked frame as a client sends it, shortest length form, random key. */
    public static byte[] encode(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length <= 125) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        frame.writeBytes(key);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ key[i & 3]);
        }
        return frame.toByteArray();
    }

    /** Reads the next frame the server sent; fails the test if none comes within the read timeout. */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertEquals(0, b1 & 0x80, "server frames must not be masked");
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, (b0 & 0x70) >>> 4, payload);
    }

    /** Reads frames until a Close frame and returns it. */
    public Frame readUntilClose() throws IOException {
        Frame f;
        do {
            f = readFrame();
        } while (f.opcode() != 0x8);
        return f;
    }

    /** Asserts the server closes TCP (end of stream) within the read timeout, with no more bytes. */
    public void assertEndOfStream() throws IOException {
        try {
            int b = in.read();
            assertEquals(-1, b, "expected the end of the stream, got another byte");
        } catch (SocketTimeoutException e) {
            fail("the server did not close the connection within " + READ_TIMEOUT_MILLIS + " ms");
        }
    }

    /** Whether the server has closed the stream or reset it (a read returns -1 or fails). */
    public boolean isClosedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Closes the socket with a TCP reset (SO_LINGER 0), without a Close frame: a vanished peer. */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * One frame as the server sent it.
     *
     * @param opcode  the opcode
     * @param fin     the FIN bit
     * @param rsv     the three RSV bits
     * @param payload the payload
     */
    public record Frame(int opcode, boolean fin, int rsv, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A Close frame's code (1005 when it has none). */
        public int closeCode() {
            assertEquals(0x8, opcode, "not a Close frame");
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        /** A Close frame's reason. */
        public String closeReason() {
            return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** Reads exactly {@code n} raw bytes. */
    public byte[] readRaw(int n) throws IOException {
        byte[] b = new byte[n];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            fail("stream ended before " + n + " bytes");
        }
        return b;
    }

    /** The raw input, for tests that count bytes themselves. */
    public InputStream input() {
        return in;
    }
}
