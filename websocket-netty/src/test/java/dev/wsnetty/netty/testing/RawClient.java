package dev.wsnetty.netty.testing;

import dev.wsnetty.testing.Await;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A client on a plain blocking socket to 127.0.0.1, for tests that look at the wire: it sends raw bytes (an HTTP
 * request, a handshake, frames built by {@link Frames}, anything malformed) and reads raw bytes back (a response
 * head, a whole frame, the end of the stream). {@link #upgrade} does the opening handshake with the key of RFC
 * 6455 §1.3 and checks the 101 byte for byte. Every read has a deadline of {@link Await#DEADLINE}, so a server
 * that stays silent fails the test instead of hanging it. Not thread-safe: one test thread drives it.
 */
public final class RawClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = (int) Await.DEADLINE.toMillis();

    private final Socket socket;
    private final int port;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.port = port;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection to 127.0.0.1:{@code port}, sending nothing yet. */
    public static RawClient connect(int port) throws IOException {
        return connect(port, socket -> { });
    }

    /**
     * Opens a TCP connection, letting {@code configure} set socket options (e.g. a small receive buffer) before it
     * connects.
     */
    public static RawClient connect(int port, Consumer<Socket> configure) throws IOException {
        Socket socket = new Socket();
        configure.accept(socket);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        return new RawClient(socket, port);
    }

    /** Connects and completes the opening handshake for {@code path}, as {@link #upgrade(String)} does. */
    public static RawClient upgrade(int port, String path) throws IOException {
        return connect(port).upgrade(path);
    }

    /**
     * Connects and completes the opening handshake for {@code path}, sending {@code firstFrames} in the same write
     * as the request, without waiting for the 101 (as a client may).
     */
    public static RawClient upgrade(int port, String path, byte[] firstFrames) throws IOException {
        return connect(port).upgrade(UpgradeRequest.to(path).header("Host", "127.0.0.1:" + port), firstFrames);
    }

    /** Sends the request for {@code path} with {@code Host: 127.0.0.1:port} and expects the plain 101. */
    public RawClient upgrade(String path) throws IOException {
        return upgrade(UpgradeRequest.to(path).header("Host", "127.0.0.1:" + port), new byte[0]);
    }

    /** Sends the request for {@code path} with this {@code Host} (routes may depend on it); expects the plain 101. */
    public RawClient upgrade(String host, String path) throws IOException {
        return upgrade(UpgradeRequest.to(path).header("Host", host), new byte[0]);
    }

    /**
     * Sends {@code request} and {@code firstFrames} in one write and fails the test unless the answer is exactly
     * {@link UpgradeRequest#SWITCHING}.
     */
    public RawClient upgrade(UpgradeRequest request, byte[] firstFrames) throws IOException {
        send(request.toString().getBytes(StandardCharsets.ISO_8859_1), firstFrames);
        assertEquals(UpgradeRequest.SWITCHING, readHead(), "the answer to the opening handshake");
        return this;
    }

    /**
     * Sends {@code request} (an HTTP head) on a new connection and returns the answer: its head and, unless it is a
     * 101 (after which the connection would stay open), everything up to the end of the stream. For refusals and
     * plain HTTP.
     */
    public static String exchange(int port, String request) throws IOException {
        try (RawClient client = connect(port)) {
            client.send(request);
            String head = client.readHead();
            return head.startsWith("HTTP/1.1 101 ") ? head : head + client.readToEnd();
        }
    }

    /** The socket, e.g. for its local port. */
    public Socket socket() {
        return socket;
    }

    /** The raw input, for tests that count bytes themselves. */
    public InputStream input() {
        return in;
    }

    // ---------------------------------------------------------------- sending

    /** Sends the text as ISO-8859-1 bytes (as HTTP heads are), in one write. */
    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends all parts in one write, so that the server usually reads them at once. */
    public RawClient send(byte[]... parts) throws IOException {
        out.write(Bytes.concat(parts));
        out.flush();
        return this;
    }

    /** Sends one frame as a client sends it: masked with {@link Frames#KEY}. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        send(Frames.masked(fin, opcode, payload));
    }

    /** Sends a whole text message in one frame. */
    public void sendText(String text) throws IOException {
        sendFrame(0x1, true, Bytes.utf8(text));
    }

    /** Sends a whole binary message in one frame. */
    public void sendBinary(byte[] data) throws IOException {
        sendFrame(0x2, true, data);
    }

    /** Sends a Close frame with a code and reason. */
    public void sendClose(int code, String reason) throws IOException {
        sendFrame(0x8, true, Frames.closePayload(code, reason));
    }

    // ---------------------------------------------------------------- reading

    /** Reads up to and including the blank line that ends a response head. */
    public String readHead() throws IOException {
        return HttpHeads.read(in);
    }

    /** Reads exactly {@code n} bytes as ISO-8859-1 text. */
    public String readText(int n) throws IOException {
        return new String(readExactly(n), StandardCharsets.ISO_8859_1);
    }

    /** Reads everything until the server ends the stream, as ISO-8859-1 text. */
    public String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Reads exactly {@code n} bytes; fails the test when the stream ends first. */
    public byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            fail("the stream ended after " + bytes.length + " of " + n + " expected bytes: " + Bytes.hex(bytes));
        }
        return bytes;
    }

    /** Reads one whole frame and returns its bytes as they were sent. */
    public byte[] readFrameBytes() throws IOException {
        try {
            return WireFrame.readBytes(in);
        } catch (EOFException e) {
            return fail(e.getMessage());
        }
    }

    /** Reads the next frame; fails the test if it is masked (a server's must not be). */
    public WireFrame readFrame() throws IOException {
        WireFrame frame = WireFrame.parse(readFrameBytes());
        assertFalse(frame.masked(), "server frames must not be masked");
        return frame;
    }

    /** Reads frames until a Close frame and returns it. */
    public WireFrame readUntilClose() throws IOException {
        WireFrame frame;
        do {
            frame = readFrame();
        } while (frame.opcode() != 0x8);
        return frame;
    }

    /** Reads the next frame and fails the test unless its bytes are exactly {@code expected}. */
    public void expect(byte[] expected) throws IOException {
        assertEquals(Bytes.hex(expected), Bytes.hex(readFrameBytes()), "frame received");
    }

    /**
     * Reads until the server closes the connection, within {@link Await#DEADLINE}, and fails the test if any byte
     * arrives first or if the connection is reset instead of closed.
     */
    public void expectEndOfStream() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MILLIS);
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (;;) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("the server did not close the connection within " + READ_TIMEOUT_MILLIS + " ms");
                }
                socket.setSoTimeout((int) left);
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                extra.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("the server did not close the connection within " + READ_TIMEOUT_MILLIS + " ms");
        } catch (SocketException e) {
            fail("the connection was reset instead of closed: " + e.getMessage());
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
        assertEquals("", Bytes.hex(extra.toByteArray()), "bytes received before the end of the stream");
    }

    /** Whether the server has closed the stream or reset it: a read returns -1 or fails. */
    public boolean isClosedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    // ---------------------------------------------------------------- ending

    /** Closes the socket with a TCP reset (SO_LINGER 0) and no Close frame: a peer that vanished. */
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
}
