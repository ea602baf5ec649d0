package dev.wsnetty.netty.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TCP proxy on 127.0.0.1 between a WebSocket client and server that records every frame each way as it passes,
 * read off the bytes on the wire with no codec of ours: FIN, RSV1, opcode, payload length. It forwards the opening
 * handshake untouched, then whole frames, each recorded before it is forwarded (so once a peer has seen a frame, the
 * tap has recorded it). This is how an interop test proves that messages really travelled compressed (RSV1 on the
 * first frame, RFC 7692 §6) between two implementations, whichever side is ours.
 *
 * <pre>{@code
 * try (WireTap tap = WireTap.to(server.port())) {
 *     // point the client at tap.uri("/"), exchange messages, then:
 *     assertTrue(tap.messages(WireTap.Direction.TO_CLIENT).get(0).compressed());
 * }
 * }</pre>
 */
public final class WireTap implements AutoCloseable {
    /** Which way a frame went. */
    public enum Direction { TO_SERVER, TO_CLIENT }

    /**
     * One frame as it was on the wire.
     *
     * @param fin           FIN
     * @param rsv1          RSV1: set on the first frame of a compressed message
     * @param opcode        the opcode
     * @param payloadLength the payload length on the wire (compressed, if it was)
     */
    public record Frame(boolean fin, boolean rsv1, int opcode, long payloadLength) {
    }

    /**
     * One data message as it was on the wire.
     *
     * @param opcode         text (1) or binary (2)
     * @param compressed     whether its first frame had RSV1
     * @param frames         how many frames it took
     * @param payloadLength  the sum of its frames' payload lengths on the wire
     */
    public record Message(int opcode, boolean compressed, int frames, long payloadLength) {
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Frame> toServer = Collections.synchronizedList(new ArrayList<>());
    private final List<Frame> toClient = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    private WireTap(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "wire-tap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A tap listening on a free port of 127.0.0.1, passing every connection on to 127.0.0.1:{@code targetPort}. */
    public static WireTap to(int targetPort) throws IOException {
        return new WireTap(targetPort);
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code ws://127.0.0.1:<port>} followed by {@code path}. */
    public URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port() + path);
    }

    /** Every frame that went {@code direction} so far, control frames included, in order. */
    public List<Frame> frames(Direction direction) {
        List<Frame> frames = direction == Direction.TO_SERVER ? toServer : toClient;
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** The data messages that went {@code direction} so far, whole (a message still being sent is left out). */
    public List<Message> messages(Direction direction) {
        List<Message> messages = new ArrayList<>();
        Message building = null;
        for (Frame frame : frames(direction)) {
            if (frame.opcode() >= 0x8) {
                continue; // control frames come between fragments
            }
            building = frame.opcode() != 0 ? new Message(frame.opcode(), frame.rsv1(), 1, frame.payloadLength())
                    : new Message(building.opcode(), building.compressed(), building.frames() + 1,
                            building.payloadLength() + frame.payloadLength());
            if (frame.fin()) {
                messages.add(building);
                building = null;
            }
        }
        return messages;
    }

    /** Stops listening and cuts every connection. */
    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, toServer, "wire-tap-to-server");
                pump(server, client, toClient, "wire-tap-to-client");
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("wire tap: " + e);
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, List<Frame> record, String name) {
        Thread thread = new Thread(() -> {
            try {
                DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream()));
                OutputStream out = to.getOutputStream();
                copyHead(in, out);
                while (true) {
                    copyFrame(in, out, record);
                }
            } catch (EOFException e) {
                shutdownOutput(to); // the sender closed: pass the end on
            } catch (IOException e) {
                closeQuietly(to); // cut, or the tap was closed
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Forwards the HTTP head of the opening handshake, up to and with its blank line. */
    private static void copyHead(InputStream in, OutputStream out) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            out.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        out.flush();
    }

    /** Reads one whole frame (RFC 6455 §5.2), records it, then forwards it. */
    private static void copyFrame(DataInputStream in, OutputStream out, List<Frame> record) throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        int lengthCode = second & 0x7F;
        byte[] extended = new byte[lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0];
        in.readFully(extended);
        long length = lengthCode;
        if (extended.length > 0) {
            length = 0;
            for (byte b : extended) {
                length = length << 8 | (b & 0xFF);
            }
        }
        byte[] mask = new byte[(second & 0x80) != 0 ? 4 : 0];
        in.readFully(mask);
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        record.add(new Frame((first & 0x80) != 0, (first & 0x40) != 0, first & 0x0F, length));
        out.write(first);
        out.write(second);
        out.write(extended);
        out.write(mask);
        out.write(payload);
        out.flush();
    }

    private static void shutdownOutput(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
