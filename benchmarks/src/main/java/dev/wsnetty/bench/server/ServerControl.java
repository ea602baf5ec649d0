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
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A tiny line-based control port beside each benchmark server, so tools in another process can ask it
 * for its live heap without depending on how the server is built: a client sends {@code heap} and gets
 * {@code live_heap=<bytes> threads=<n> rss=<bytes> nmt=<bytes>}, the heap in use right after full collections, the
 * number of live platform threads, the process's resident set (VmRSS, which includes what native libraries such as
 * zlib allocate with malloc, unseen by the JVM) and the memory committed as Native Memory Tracking counts it (-1
 * unless the JVM runs with {@code -XX:NativeMemoryTracking=summary}). A plain blocking socket on its own daemon
 * thread, apart from the event loop being measured.
 *
 * <p>With the system property {@value #HISTOGRAM_PROPERTY} set to a path prefix, every {@code heap}
 * query also writes the class histogram of the live objects to {@code <prefix>-<n>.txt} (n = 1, 2, ...),
 * the same table as {@code jcmd <pid> GC.class_histogram}, to see what the heap difference is made of.
 */
public final class ServerControl implements AutoCloseable {
    /** System property: path prefix of the class histograms written at each heap query. */
    public static final String HISTOGRAM_PROPERTY = "wsnetty.bench.histogram";
    private static final int COLLECTIONS = 3;
    /** The total line of {@code VM.native_memory summary}: "Total: reserved=...KB, committed=...KB". */
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

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
     * @param rss the resident set of the process, in bytes (-1 where /proc is missing)
     * @param nativeCommitted the committed total of Native Memory Tracking, in bytes (-1 when it is off)
     */
    public record HeapReport(long liveHeap, int threads, long rss, long nativeCommitted) {
    }

    /**
     * The resident set of this process (VmRSS), in bytes, after glibc was asked to give its free memory back to
     * the system ({@code jcmd System.trim_native_heap}, JDK 17.0.9 and later; skipped where missing): without
     * that, memory that zlib freed (an idle stream released) stays resident in malloc's arenas, and the figure
     * would be malloc's high-water mark rather than what is in use. -1 without /proc.
     */
    static long residentSet() throws IOException {
        try {
            diagnosticCommand("systemTrimNativeHeap");
        } catch (IOException e) {
            // An older JVM: the resident set then includes what malloc keeps.
        }
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // in kB
            }
        }
        return -1;
    }

    /** The committed total of Native Memory Tracking, in bytes; -1 when the JVM does not track. */
    static long nativeCommitted() throws IOException {
        String summary = diagnosticCommand("vmNativeMemory", "summary");
        Matcher total = NMT_TOTAL.matcher(summary);
        return total.find() ? Long.parseLong(total.group(1)) * 1024 : -1;
    }

    /** Runs a jcmd command in this process through the DiagnosticCommand MBean. */
    private static String diagnosticCommand(String operation, String... arguments) throws IOException {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                    new Object[] {arguments}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IOException(operation + " failed", e);
        }
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
            Map<String, Long> fields = new HashMap<>();
            for (String field : line == null ? new String[0] : line.split(" ")) {
                int equals = field.indexOf('=');
                if (equals > 0) {
                    fields.put(field.substring(0, equals), Long.parseLong(field.substring(equals + 1)));
                }
            }
            if (!fields.containsKey("live_heap") || !fields.containsKey("threads")) {
                throw new IOException("control port " + port + " answered " + line);
            }
            return new HeapReport(fields.get("live_heap"), fields.get("threads").intValue(),
                    fields.getOrDefault("rss", -1L), fields.getOrDefault("nmt", -1L));
        }
    }

    private void writeHistogramIfAsked() throws IOException {
        String prefix = System.getProperty(HISTOGRAM_PROPERTY);
        if (prefix == null) {
            return;
        }
        // jcmd's GC.class_histogram in this process (a full GC first).
        String histogram = diagnosticCommand("gcClassHistogram");
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
                            + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount()
                            + " rss=" + residentSet() + " nmt=" + nativeCommitted());
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
