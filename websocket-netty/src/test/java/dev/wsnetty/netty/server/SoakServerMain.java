package dev.wsnetty.netty.server;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import dev.wsnetty.netty.testing.LeakCheck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server of {@link SoakTest}, in a JVM of its own (JDK 25 in the soak): a {@link WebSocketServer} with a
 * {@link ThreadedWebSocketHandler} echo on virtual threads, and Netty's leak detector at PARANOID recording every
 * report ({@link LeakCheck}). Text and binary messages are echoed as they came (those over 1000 bytes with an odd
 * length through a {@link MessageOutputStream} in 4 KiB frames, so both ways see fragmented messages), except two
 * commands: {@code CLOSE_ME} closes the connection with {@link #ASKED_CLOSE_CODE}, and {@code FLOOD n size} writes
 * {@code n} binary messages of {@link SoakMessages#flood} until a write times out (the slow readers).
 *
 * <p>Arguments: the write timeout in milliseconds and the {@link CompressionMode}. Prints {@code PORT n JAVA version} once listening, then answers
 * commands on standard input, one line each: {@code HEAP} (collects garbage, then {@code HEAP used}),
 * {@code STATS} (the counters), {@code LEAKS} (collects garbage, then {@code LEAKS n} and the reports). Ends when
 * its input ends.
 */
public final class SoakServerMain {
    /** The code a connection that sent {@code CLOSE_ME} is closed with. */
    public static final int ASKED_CLOSE_CODE = 4000;

    private static final LongAdder OPENED = new LongAdder();
    private static final LongAdder CLOSED = new LongAdder();
    private static final LongAdder ECHOED = new LongAdder();
    private static final LongAdder ECHOED_BYTES = new LongAdder();
    private static final LongAdder FLOODED = new LongAdder();
    private static final Map<Integer, LongAdder> CLOSE_CODES = new ConcurrentHashMap<>();
    private static final LongAccumulator PEAK_HEAP = new LongAccumulator(Math::max, 0);
    private static final LongAccumulator PEAK_OPEN = new LongAccumulator(Math::max, 0);
    private static final AtomicLong OPEN = new AtomicLong();

    private SoakServerMain() {
    }

    /**
     * Runs the server until standard input ends.
     *
     * @param args the write timeout in milliseconds, the compression mode
     */
    public static void main(String[] args) throws IOException {
        LeakCheck.install(); // before anything allocates a buffer
        Duration writeTimeout = Duration.ofMillis(Long.parseLong(args[0]));
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setConfig(WebSocketConfig.builder().compression(CompressionMode.valueOf(args[1])).build());
        server.setCommunicatorConfig(CommunicatorConfig.builder().writeTimeout(writeTimeout).build());
        server.registerHandler("*", "*", new ThreadedWebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator c) {
                serve(c);
            }
        }, true, true);
        server.bind();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-heap-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> PEAK_HEAP.accumulate(
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()), 0, 1, TimeUnit.SECONDS);
        System.out.println("PORT " + server.port() + " JAVA " + Runtime.version());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null) {
            switch (command) {
                case "HEAP":
                    System.out.println("HEAP " + heapAfterGc());
                    break;
                case "STATS":
                    System.out.println(stats());
                    break;
                case "LEAKS":
                    System.out.println(leaks());
                    break;
                default:
                    System.out.println("UNKNOWN " + command);
            }
            System.out.flush();
        }
        sampler.shutdownNow();
        server.stop();
    }

    private static void serve(Communicator c) {
        PEAK_OPEN.accumulate(OPEN.incrementAndGet());
        OPENED.increment();
        c.setOnClose((comm, status) -> {
            OPEN.decrementAndGet();
            CLOSED.increment();
            CLOSE_CODES.computeIfAbsent(status.code(), k -> new LongAdder()).increment();
        });
        WebSocketMessage m;
        while ((m = c.waitForMessage()) != null) {
            if (m instanceof StringMessage) {
                String text = ((StringMessage) m).data();
                if (text.equals("CLOSE_ME")) {
                    c.close(ASKED_CLOSE_CODE, "asked to close");
                } else if (text.startsWith("FLOOD ")) {
                    String[] words = text.split(" ");
                    int count = Integer.parseInt(words[1]);
                    int size = Integer.parseInt(words[2]);
                    for (int i = 0; i < count; i++) {
                        c.writeBinaryMessage(SoakMessages.flood(i, size));
                        FLOODED.increment();
                    }
                } else {
                    echo(c, text.getBytes(StandardCharsets.UTF_8), MessageType.STRING);
                }
            } else if (m instanceof BinaryMessage) {
                echo(c, ((BinaryMessage) m).data(), MessageType.BINARY);
            }
        }
    }

    private static void echo(Communicator c, byte[] data, MessageType type) {
        if (data.length > 1000 && data.length % 2 == 1) {
            try (MessageOutputStream out = c.writeMessage(type, 4096)) {
                out.write(data);
            }
        } else {
            c.writeRawMessage(data, 0, data.length, type);
        }
        ECHOED.increment();
        ECHOED_BYTES.add(data.length);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String stats() {
        Map<Integer, Long> codes = new TreeMap<>();
        CLOSE_CODES.forEach((code, n) -> codes.put(code, n.sum()));
        return "STATS open=" + OPEN.get() + " peakOpen=" + PEAK_OPEN.get() + " opened=" + OPENED.sum()
                + " closed=" + CLOSED.sum() + " echoed=" + ECHOED.sum() + " echoedBytes=" + ECHOED_BYTES.sum()
                + " flooded=" + FLOODED.sum() + " peakHeap=" + PEAK_HEAP.get() + " cpuMillis="
                + cpuMillis() + " rssKiB=" + status("VmRSS") + " peakRssKiB=" + status("VmHWM")
                + " threads=" + Thread.activeCount() + " codes=" + codes.toString().replace(" ", "");
    }

    /** User and system CPU time of this process from /proc/self/stat (in ticks of 10 ms), or -1. */
    private static long cpuMillis() {
        try {
            String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")), StandardCharsets.US_ASCII);
            // The fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A "kB" figure of /proc/self/status, or -1. */
    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String leaks() {
        try {
            LeakCheck.assertNoLeaksAfterGc("the soak");
            return "LEAKS 0";
        } catch (AssertionError e) {
            return "LEAKS " + e.getMessage().replace('\n', ' ');
        }
    }
}
