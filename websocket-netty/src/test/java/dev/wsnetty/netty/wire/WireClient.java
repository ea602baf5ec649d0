package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.testing.HttpHeads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A raw WebSocket client on a plain {@link Socket}: it sends the opening handshake with the key of
 * RFC 6455 §1.3, checks the 101 byte for byte, then sends raw bytes and reads exact frames. Every read
 * has a deadline, so a server that stays silent fails the test instead of hanging it.
 */
final class WireClient implements AutoCloseable {
    /** How long any single expectation may take. */
    static final long WAIT_MILLIS = 10_000;

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "\r\n";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private WireClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) WAIT_MILLIS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Connects to {@code path} on 127.0.0.1 and completes the opening handshake. */
    static WireClient upgrade(int port, String path) throws IOException {
        return upgrade(port, path, new byte[0]);
    }

    /**
     * Connects and completes the opening handshake, sending {@code firstFrames} in the same write as the
     * request, without waiting for the 101 (as a client may).
     */
    static WireClient upgrade(int port, String path, byte[] firstFrames) throws IOException {
        WireClient client = new WireClient(port);
        client.send(("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1), firstFrames);
        assertEquals(SWITCHING, client.readHead());
        return client;
    }

    /** Sends all parts in one write, so the server usually reads them at once. */
    WireClient send(byte[]... parts) throws IOException {
        out.write(WireFrames.concat(parts));
        out.flush();
        return this;
    }

    /** Reads the next frame and fails unless it is exactly {@code expected}. */
    void expect(byte[] expected) throws IOException {
        assertEquals(hex(expected), hex(readFrame()), "frame received");
    }

    /** Reads one whole frame (header, masking key if any, payload) and returns its bytes. */
    byte[] readFrame() throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        byte[] head = readExactly(2);
        frame.writeBytes(head);
        int shortLength = head[1] & 0x7F;
        long length = shortLength;
        if (shortLength >= 126) {
            byte[] extended = readExactly(shortLength == 126 ? 2 : 8);
            frame.writeBytes(extended);
            length = 0;
            for (byte b : extended) {
                length = (length << 8) | (b & 0xFF);
            }
        }
        if ((head[1] & 0x80) != 0) {
            frame.writeBytes(readExactly(4));
        }
        frame.writeBytes(readExactly(Math.toIntExact(length)));
        return frame.toByteArray();
    }

    /**
     * Reads until the server closes the connection, within {@link #WAIT_MILLIS}, and fails if anything
     * arrives before the end of the stream or if the connection is reset instead of closed.
     */
    void expectEndOfStream() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (;;) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("the server did not close the connection within " + WAIT_MILLIS + " ms");
                }
                socket.setSoTimeout((int) left);
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                extra.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("the server did not close the connection within " + WAIT_MILLIS + " ms");
        } catch (SocketException e) {
            fail("the connection was reset instead of closed: " + e.getMessage());
        } finally {
            socket.setSoTimeout((int) WAIT_MILLIS);
        }
        assertEquals("", hex(extra.toByteArray()), "bytes received before the end of the stream");
    }

    /** Reads exactly {@code n} bytes; fails on the end of the stream or the deadline. */
    byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            fail("the stream ended after " + bytes.length + " of " + n + " expected bytes: " + hex(bytes));
        }
        return bytes;
    }

    private String readHead() throws IOException {
        return HttpHeads.read(in);
    }

    /** Hex for readable failures: frames are compared as hex strings. */
    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
