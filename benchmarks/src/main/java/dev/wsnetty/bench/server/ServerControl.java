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
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A tiny line-based control port beside each benchmark server, so tools in another process can ask it
 * for its live heap without depending on how the server is built: a client sends {@code heap} and gets
 * {@code live_heap=<bytes> threads=<n>}, the heap in use right after full collections and the number of
 * live platform threads. A plain blocking socket on its own daemon thread, apart from the event loop
 * being measured.
 *
 * <p>With the system property {@value #HISTOGRAM_PROPERTY} set to a path prefix, every {@code heap}
 * query also writes the class histogram of the live objects to {@code <prefix>-<n>.txt} (n = 1, 2, ...),
 * the same table as {@code jcmd <pid> GC.class_histogram}, to see what the heap difference is made of.
 */
public final class ServerControl implements AutoCloseable {
    /** System property: path prefix of the class histograms written at each heap query. */
    public static final String HISTOGRAM_PROPERTY = "wsnetty.bench.histogram";
    private static final int COLLECTIONS = 3;

    private final ServerSocket socket;
    private int histograms;

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

    /**
     * What a {@code heap} query answers.
     *
     * @param liveHeap the heap in use after full collections, in bytes
     * @param threads live platform threads (virtual threads are not counted)
     */
    public record HeapReport(long liveHeap, int threads) {
    }

    /** Asks the control port at {@code host:port} for the server's live heap and thread count. */
    public static HeapReport queryHeap(String host, int port) throws IOException {
        try (Socket s = new Socket(host, port);
             BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write("heap\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = in.readLine();
            String[] fields = line == null ? new String[0] : line.split(" ");
            if (fields.length != 2 || !fields[0].startsWith("live_heap=") || !fields[1].startsWith("threads=")) {
                throw new IOException("control port " + port + " answered " + line);
            }
            return new HeapReport(Long.parseLong(fields[0].substring("live_heap=".length())),
                    Integer.parseInt(fields[1].substring("threads=".length())));
        }
    }

    private void writeHistogramIfAsked() throws IOException {
        String prefix = System.getProperty(HISTOGRAM_PROPERTY);
        if (prefix == null) {
            return;
        }
        String histogram;
        try {
            // The DiagnosticCommand MBean runs jcmd's GC.class_histogram in this process (a full GC first).
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IOException("class histogram failed", e);
        }
        Files.writeString(Path.of(prefix + "-" + ++histograms + ".txt"), histogram);
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
                    writeHistogramIfAsked();
                    out.println("live_heap=" + liveHeap()
                            + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount());
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
