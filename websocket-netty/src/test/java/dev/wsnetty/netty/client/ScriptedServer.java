package dev.wsnetty.netty.client;

import dev.wsnetty.netty.testing.HttpHeads;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A raw loopback server for client tests: for every connection it reads the request head (up to the
 * blank line), records it, and runs a script that answers with exact bytes.
 */
final class ScriptedServer implements AutoCloseable {
    /** What the server does on one connection once the request head was read. */
    @FunctionalInterface
    interface Script {
        void run(Exchange exchange) throws Exception;
    }

    /** One connection: the request head as received and the socket to answer on. */
    static final class Exchange {
        final Socket socket;
        final String request;
        final String key;
        private final OutputStream out;

        Exchange(Socket socket, String request) throws IOException {
            this.socket = socket;
            this.request = request;
            Matcher m = Pattern.compile("\r\nSec-WebSocket-Key: ([^\r]*)\r\n").matcher(request);
            this.key = m.find() ? m.group(1) : null;
            this.out = socket.getOutputStream();
        }

        /** Writes the bytes in one write call. */
        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Writes an ISO-8859-1 string in one write call. */
        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /**
         * Reads one WebSocket frame the client sent (at most 10 s), unmasking its payload if it is masked.
         *
         * @throws IOException if the client closes first
         */
        ClientFrame readFrame() throws IOException {
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            boolean masked = (b1 & 0x80) != 0;
            byte[] mask = new byte[4];
            if (masked) {
                in.readFully(mask);
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            return new ClientFrame((b0 & 0x80) != 0, b0 & 0x0f, masked, mask, payload);
        }

        /**
         * Finishes the closing handshake the client starts: drops frames until its Close arrives, answers with
         * an unmasked Close carrying the same payload; returning from the script then closes TCP, as a server
         * does.
         */
        void answerClose() throws IOException {
            ClientFrame frame;
            do {
                frame = readFrame();
            } while (frame.opcode() != 0x8);
            byte[] answer = new byte[2 + frame.payload().length];
            answer[0] = (byte) 0x88;
            answer[1] = (byte) frame.payload().length;
            System.arraycopy(frame.payload(), 0, answer, 2, frame.payload().length);
            send(answer);
        }

        /** Reads and drops input until the client closes (at most 10 s), so the client closes first. */
        void awaitClientClose() throws IOException {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[1024];
            try {
                while (in.read(sink) != -1) {
                    // drop
                }
            } catch (SocketException e) {
                // reset by the client: closed as well
            }
        }
    }

    /**
     * A frame as the client sent it.
     *
     * @param payload the payload, already unmasked
     */
    record ClientFrame(boolean fin, int opcode, boolean masked, byte[] mask, byte[] payload) {
        /** The payload as UTF-8 text. */
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a Close frame's payload. */
        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** A plain server on 127.0.0.1 and an ephemeral port. */
    ScriptedServer(Script script) throws IOException {
        this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    /** A server on an already bound socket (e.g. an SSLServerSocket). */
    ScriptedServer(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
        this.acceptor = new Thread(this::acceptLoop, "scripted-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next request head received, waiting at most 10 s. */
    String takeRequest() throws InterruptedException {
        String request = requests.poll(10, TimeUnit.SECONDS);
        assertNotNull(request, "no request received within 10 s");
        return request;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket), "scripted-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            Exchange exchange = new Exchange(socket, readHead(socket.getInputStream()));
            requests.add(exchange.request);
            script.run(exchange);
        } catch (Exception e) {
            // The client hung up early (as some tests make it do); the test asserts on the client side.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        return HttpHeads.read(in);
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        acceptor.join(5_000);
    }
}
