package dev.wsnetty.netty.server;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.adapter.Deadline;
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
 * {@code wsnetty.scale.connections}) runs 10,000.
 */
class ScaleTest {
    private static final int CONNECTIONS = Integer.getInteger("wsnetty.scale.connections", 500);
    private static final Duration STEP = Duration.ofSeconds(180);

    @Test
    void holdsMessagesAndClosesManyParkedConnections() throws Exception {
        AtomicInteger waiting = new AtomicInteger();
        Set<String> received = ConcurrentHashMap.newKeySet();
        Map<Communicator, AtomicInteger> closeCalls = new ConcurrentHashMap<>();
        List<CloseStatus> statuses = new CopyOnWriteArrayList<>();
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.registerHandler("*", "*", new ThreadedWebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator c) {
                c.setOnClose((comm, status) -> {
                    closeCalls.computeIfAbsent(comm, k -> new AtomicInteger()).incrementAndGet();
                    statuses.add(status);
                });
                waiting.incrementAndGet();
                WebSocketMessage m;
                while ((m = c.waitForMessage()) != null) {
                    String text = ((StringMessage) m).data();
                    received.add(text);
                    c.writeStringMessage("ack " + text);
                }
            }
        }, true, true);
        server.bind();
        long heapBefore = liveHeap();
        ChildClient client = ChildClient.start(server.port(), CONNECTIONS);
        try {
            assertEquals("CONNECTED " + CONNECTIONS, client.expectLine());
            Deadline.await("every handler waits for its message", STEP, () -> waiting.get() == CONNECTIONS);
            long heapParked = liveHeap();
            System.out.printf("scale: %d connections parked in waitForMessage on Java %d: live heap %.0f bytes per"
                            + " connection (%.1f MiB in all)%n", CONNECTIONS, Runtime.version().feature(),
                    (heapParked - heapBefore) / (double) CONNECTIONS, (heapParked - heapBefore) / (1024.0 * 1024.0));

            client.send("MESSAGE");
            assertEquals("ACKED " + CONNECTIONS + " wrong 0", client.expectLine());
            assertEquals(CONNECTIONS, received.size(), "messages lost on the server side");

            client.send("CLOSE");
            assertEquals("CLOSED " + CONNECTIONS, client.expectLine());
            Deadline.await("every onClose fired", STEP, () -> statuses.size() >= CONNECTIONS);
            Deadline.await("every connection is gone", STEP, () -> server.connectionCount() == 0);
            assertEquals(CONNECTIONS, closeCalls.size());
            assertTrue(closeCalls.values().stream().allMatch(n -> n.get() == 1), "an onClose fired twice");
            assertTrue(statuses.stream().allMatch(s -> s.code() == 1000 && s.reason().equals("bye")),
                    "unexpected close status");
            assertEquals(CONNECTIONS, statuses.size());
        } finally {
            client.stop();
            server.stop();
        }
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
            try {
                commands.close();
            } catch (IOException e) {
                // The process is gone already.
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
