package dev.wsnetty.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A tiny line-based control port beside each benchmark server, so tools in another process can ask it
 * for its live heap without depending on how the server is built: a client sends {@code heap} and gets
 * {@code live_heap=<bytes>}, the heap in use right after full collections. A plain blocking socket on
 * its own daemon thread, apart from the event loop being measured.
 */
public final class ServerControl implements AutoCloseable {
    private static final int COLLECTIONS = 3;

    private final ServerSocket socket;

    private ServerControl(ServerSocket socket) {
        this.socket = socket;
        Thread thread = new Thread(this::serve, "bench-control");
        thread.setDaemon(true);
        thread.start();
    }

    /** Listens on loopback {@code port} (0 for any free port). */
    public static ServerControl start(int port) throws IOException {
        return new ServerControl(new ServerSocket(port, 8, InetAddress.getLoopbackAddress()));
    }

    /** The port listened on. */
    public int port() {
        return socket.getLocalPort();
    }

    /** The live heap of the process after full collections, in bytes. */
    public static long liveHeap() {
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Asks the control port at {@code host:port} for the server's live heap, in bytes. */
    public static long queryLiveHeap(String host, int port) throws IOException {
        try (Socket s = new Socket(host, port);
             BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write("heap\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = in.readLine();
            if (line == null || !line.startsWith("live_heap=")) {
                throw new IOException("control port " + port + " answered " + line);
            }
            return Long.parseLong(line.substring("live_heap=".length()));
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                 PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                String command = in.readLine();
                if ("heap".equals(command)) {
                    out.println("live_heap=" + liveHeap());
                } else {
                    out.println("unknown command: " + command + " (try: heap)");
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("control port: " + e);
                }
            }
        }
    }
}
