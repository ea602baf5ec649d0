package dev.wsnetty.netty.testing;

import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw loopback server for client tests, answering with exact bytes: for every connection it reads the request
 * head (up to the blank line) and records it, then either runs the test's {@link Script} on a thread of its own
 * and closes the connection when the script returns, or, started without a script, hands the connection to the
 * test as an {@link Exchange} ({@link #nextExchange()}) for the test thread to drive.
 */
public final class ScriptedServer implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = (int) Await.DEADLINE.toMillis();

    /** What the server does on one connection once the request head was read. */
    @FunctionalInterface
    public interface Script {
        /** Answers on {@code exchange}; returning (or throwing) closes the connection. */
        void run(Exchange exchange) throws Exception;
    }

    private final ServerSocket server;
    /** Null when the test drives each connection itself. */
    private final Script script;
    private final EventRecorder<String> requests = new EventRecorder<>("request");
    private final EventRecorder<Exchange> exchanges = new EventRecorder<>("connection");
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private ScriptedServer(ServerSocket server, Script script) {
        this.server = server;
        this.script = script;
        this.acceptor = new Thread(this::acceptLoop, "scripted-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server on 127.0.0.1 and a free port running {@code script} for every connection. */
    public static ScriptedServer start(Script script) throws IOException {
        return start(loopback(), script);
    }

    /** A server on an already bound socket (e.g. an {@code SSLServerSocket}) running {@code script}. */
    public static ScriptedServer start(ServerSocket bound, Script script) {
        return new ScriptedServer(bound, script);
    }

    /** A server on 127.0.0.1 and a free port that hands every connection to the test: see {@link #nextExchange()}. */
    public static ScriptedServer start() throws IOException {
        return new ScriptedServer(loopback(), null);
    }

    private static ServerSocket loopback() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** The next request head received, waiting up to {@link Await#DEADLINE}. */
    public String takeRequest() {
        return requests.next();
    }

    /** The next connection, its request head read, for a server started without a script. */
    public Exchange nextExchange() {
        if (script != null) {
            throw new IllegalStateException("this server runs a script on every connection");
        }
        return exchanges.next();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread connection = new Thread(() -> serve(socket), "scripted-connection-" + socket.getPort());
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            Exchange exchange = new Exchange(socket, HttpHeads.read(socket.getInputStream()));
            requests.record(exchange.request);
            if (script == null) {
                exchanges.record(exchange);
                return; // the test drives it and close() closes it
            }
            try (socket) {
                script.run(exchange);
            }
        } catch (Exception e) {
            // The client hung up early, as some tests make it do; the test asserts on the client side.
        }
    }

    /** Stops listening and closes every connection still open. */
    @Override
    public void close() throws Exception {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        acceptor.join(READ_TIMEOUT_MILLIS);
    }

    /** One connection: the request head as received, and the socket to answer on. */
    public static final class Exchange {
        /** The connection, with a read timeout of {@link Await#DEADLINE}. */
        public final Socket socket;
        /** The request head, up to and including the blank line. */
        public final String request;
        /** The request's {@code Sec-WebSocket-Key}, or null when it has none. */
        public final String key;
        private final InputStream in;
        private final OutputStream out;

        Exchange(Socket socket, String request) throws IOException {
            this.socket = socket;
            this.request = request;
            Matcher m = Pattern.compile("\r\nSec-WebSocket-Key: ([^\r]*)\r\n").matcher(request);
            this.key = m.find() ? m.group(1) : null;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** The valid 101 for this request's key, with these header lines after the handshake's own. */
        public String switching(String... headerLines) {
            StringBuilder b = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: ").append(AcceptKey.of(key)).append("\r\n");
            for (String line : headerLines) {
                b.append(line).append("\r\n");
            }
            return b.append("\r\n").toString();
        }

        /** Writes the parts in one write call. */
        public void send(byte[]... parts) throws IOException {
            out.write(Bytes.concat(parts));
            out.flush();
        }

        /** Writes an ISO-8859-1 string (an HTTP head) in one write call. */
        public void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Reads one whole frame the client sent and returns its bytes as sent. */
        public byte[] readFrameBytes() throws IOException {
            return WireFrame.readBytes(in);
        }

        /** Reads one frame the client sent, its payload unmasked. */
        public WireFrame readFrame() throws IOException {
            return WireFrame.read(in);
        }

        /**
         * Finishes the closing handshake the client starts: drops frames until its Close arrives and answers with an
         * unmasked Close carrying the same payload; returning from the script then closes TCP, as a server does.
         */
        public void answerClose() throws IOException {
            WireFrame frame;
            do {
                frame = readFrame();
            } while (frame.opcode() != 0x8);
            send(Frames.server(Frames.CLOSE, frame.payload()));
        }

        /** Reads and drops input until the client closes (or resets) the connection, within the read timeout. */
        public void awaitClientClose() throws IOException {
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
}
