package dev.wsnetty.netty.server;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many concurrent connections through {@link ThreadedWebSocketHandler}s, each blocked in {@code waitForMessage}:
 * every one gets a message and answers it, then every one is closed; nothing is lost and every {@code onClose}
 * fires exactly once. Prints the live heap per connection while they are all parked.
 *
 * <p>The clients live in a child JVM ({@link ScaleClientMain}) so that their sockets do not count against this
 * JVM's open-file limit. 500 connections by default; {@code -Pscale} (system property
 * {@code wsnetty.scale.connections}) runs 10,000, after a warm-up round ({@code wsnetty.scale.warmup}
 * connections answering {@code wsnetty.scale.warmupMessages} messages each, then closed) that gets the code
 * compiled as in a server that has been serving for a while: a parked virtual thread's frames are on the heap,
 * several times larger while interpreted. On platform threads the pool's idle threads from the warm-up are then
 * part of the baseline.
 */
class ScaleTest {
    private static final int CONNECTIONS = Integer.getInteger("wsnetty.scale.connections", 500);
    private static final int WARMUP = Integer.getInteger("wsnetty.scale.warmup", 0);
    private static final int WARMUP_MESSAGES = Integer.getInteger("wsnetty.scale.warmupMessages", 10);
    private static final Duration STEP = Duration.ofSeconds(180);

    @Test
    void holdsMessagesAndClosesManyParkedConnections() throws Exception {
        // Each connection records into the round that was current when it opened.
        AtomicReference<Round> current = new AtomicReference<>();
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.registerHandler("*", "*", new ThreadedWebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator c) {
                Round round = current.get();
                c.setOnClose((comm, status) -> {
                    round.closeCalls.computeIfAbsent(comm, k -> new AtomicInteger()).incrementAndGet();
                    round.statuses.add(status);
                });
                round.waiting.incrementAndGet();
                WebSocketMessage m;
                while ((m = c.waitForMessage()) != null) {
                    String text = ((StringMessage) m).data();
                    round.received.add(text);
                    c.writeStringMessage("ack " + text);
                }
            }
        }, true, true);
        server.bind();
        try {
            if (WARMUP > 0) {
                current.set(new Round());
                runRound(server, current.get(), WARMUP, WARMUP_MESSAGES, null);
            }
            current.set(new Round());
            runRound(server, current.get(), CONNECTIONS, 1, ScaleTest::liveHeap);
        } finally {
            server.stop();
        }
    }

    /**
     * Connects {@code connections} clients, waits until every handler is parked (and prints the live heap per
     * connection then, if {@code heap} is given), has every connection answer {@code messages} messages, closes
     * them all and checks that nothing was lost and every {@code onClose} fired exactly once.
     */
    private static void runRound(WebSocketServer server, Round round, int connections, int messages,
                                 LongSupplier heap) throws Exception {
        long heapBefore = heap == null ? 0 : heap.getAsLong();
        ChildClient client = ChildClient.start(server.port(), connections);
        try {
            assertEquals("CONNECTED " + connections, client.expectLine());
            Await.until("every handler waits for its message", STEP, () -> round.waiting.get() == connections);
            if (heap != null) {
                long heapParked = heap.getAsLong();
                System.out.printf("scale: %d connections parked in waitForMessage on Java %d after a warm-up of %d:"
                                + " live heap %.0f bytes per connection (%.1f MiB in all)%n", connections,
                        Runtime.version().feature(), WARMUP, (heapParked - heapBefore) / (double) connections,
                        (heapParked - heapBefore) / (1024.0 * 1024.0));
            }

            for (int i = 0; i < messages; i++) {
                client.send("MESSAGE");
                assertEquals("ACKED " + connections + " wrong 0", client.expectLine());
            }
            assertEquals(connections, round.received.size(), "messages lost on the server side");

            client.send("CLOSE");
            assertEquals("CLOSED " + connections, client.expectLine());
            Await.until("every onClose fired", STEP, () -> round.statuses.size() >= connections);
            Await.until("every connection is gone", STEP, () -> server.connectionCount() == 0);
            assertEquals(connections, round.closeCalls.size());
            assertTrue(round.closeCalls.values().stream().allMatch(n -> n.get() == 1), "an onClose fired twice");
            assertTrue(round.statuses.stream().allMatch(s -> s.code() == 1000 && s.reason().equals("bye")),
                    "unexpected close status");
            assertEquals(connections, round.statuses.size());
        } finally {
            client.stop();
        }
    }

    /** What the handlers of one round's connections saw. */
    private static final class Round {
        final AtomicInteger waiting = new AtomicInteger();
        final Set<String> received = ConcurrentHashMap.newKeySet();
        final Map<Communicator, AtomicInteger> closeCalls = new ConcurrentHashMap<>();
        final List<CloseStatus> statuses = new CopyOnWriteArrayList<>();
    }

    /** The heap in use after a full collection: what is live. */
    private static long liveHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The child JVM running {@link ScaleClientMain}, talked to line by line. */
    private static final class ChildClient {
        private final Process process;
        private final Writer commands;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private ChildClient(Process process) {
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("READ FAILED " + e);
                }
            }, "scale-client-output");
            reader.setDaemon(true);
            reader.start();
        }

        static ChildClient start(int port, int connections) throws IOException {
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xss256k", "-Dio.netty.leakDetection.level=disabled",
                    "-cp", System.getProperty("java.class.path"), ScaleClientMain.class.getName(),
                    Integer.toString(port), Integer.toString(connections));
            builder.redirectError(new File("target/scale-client-stderr.log"));
            return new ChildClient(builder.start());
        }

        String expectLine() throws InterruptedException {
            String line = lines.poll(STEP.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(line, "the client process said nothing for " + STEP.toSeconds() + " s (alive: "
                    + process.isAlive() + "; see target/scale-client-stderr.log)");
            return line;
        }

        void send(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
        }

        void stop() throws InterruptedException {
            ChildJvms.stop(process, commands);
        }
    }
}
