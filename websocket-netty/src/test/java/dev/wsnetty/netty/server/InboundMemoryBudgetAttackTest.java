package dev.wsnetty.netty.server;

import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, point 1: many connections that each declare a frame just under the 1 MiB limit and send all of it
 * but the last 10 bytes, against a {@link WebSocketServer} with its defaults in a child JVM with little memory
 * ({@link BudgetAttackServerMain}). The server must not run out of memory: no {@code OutOfMemoryError} in its
 * output, no attacker closed with 1011 (the inbound memory budget pauses them or closes them with 1013), and
 * normal clients echoing small messages meanwhile are all served. Prints the attackers' outcomes and the normal
 * clients' echo latency.
 *
 * <p>Default suite: 100 attackers against {@code -Xmx64m -XX:MaxDirectMemorySize=64m}; the {@code hostile} profile:
 * 400 attackers against {@code -Xmx256m}, the figures.
 */
@Tag(Hostile.TAG)
class InboundMemoryBudgetAttackTest {
    private static final int ATTACKERS = Hostile.size(100, 400);
    private static final String HEAP = Hostile.large() ? "-Xmx256m" : "-Xmx64m";
    private static final String DIRECT = Hostile.large() ? "-XX:MaxDirectMemorySize=256m"
            : "-XX:MaxDirectMemorySize=64m";
    private static final int NORMAL_CLIENTS = 4;
    /** The frame each attacker declares: just under the default 1 MiB limit. */
    private static final int FRAME = (1 << 20) - 16;
    private static final int SENT = FRAME - 10;
    private static final int CHUNK = 64 * 1024;
    /** The attack is over when no attacker got a byte further for this long. */
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final byte[] PAYLOAD = new byte[CHUNK];

    @Test
    void attackersArePausedOrClosedWith1013AndNormalClientsAreServed() throws Exception {
        ChildServer server = ChildServer.start();
        List<Attacker> attackers = new ArrayList<>();
        List<RawClient> normals = new ArrayList<>();
        try {
            int port = server.port();
            for (int i = 0; i < NORMAL_CLIENTS; i++) {
                normals.add(RawClient.upgrade(port, "/"));
            }
            Latencies latencies = new Latencies();
            for (RawClient normal : normals) {
                latencies.echo(normal, "warm-up");
            }
            latencies.reset();

            for (int i = 0; i < ATTACKERS; i++) {
                Attacker attacker = new Attacker(RawClient.upgrade(port, "/"));
                attackers.add(attacker);
                attacker.start();
            }
            // Echo while the attackers send, until none of them has made progress for a while.
            AtomicLong lastProgress = new AtomicLong(System.nanoTime());
            AtomicLong lastTotal = new AtomicLong(-1);
            Duration limit = Duration.ofSeconds(Hostile.large() ? 120 : 30);
            int round = 0;
            long end = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < end) {
                for (RawClient normal : normals) {
                    latencies.echo(normal, "echo " + round);
                }
                round++;
                long total = attackers.stream().mapToLong(a -> a.sent.get() + (a.ended() ? SENT : 0)).sum();
                if (total != lastTotal.getAndSet(total)) {
                    lastProgress.set(System.nanoTime());
                } else if (System.nanoTime() - lastProgress.get() > QUIET.toNanos()) {
                    break;
                }
            }
            assertTrue(System.nanoTime() < end, "the attack did not settle within " + limit);
            // A last round of echoes once the attack is at its height.
            for (RawClient normal : normals) {
                latencies.echo(normal, "after");
            }

            Map<String, Integer> outcomes = new TreeMap<>();
            for (Attacker attacker : attackers) {
                outcomes.merge(attacker.outcome(), 1, Integer::sum);
            }
            normals.forEach(InboundMemoryBudgetAttackTest::hangUp);
            String output = server.stop();
            long ooms = output.lines().filter(l -> l.contains("OutOfMemoryError")).count();
            System.out.printf("inbound budget attack: %d attackers (%s %s): outcomes %s; %d OutOfMemoryError lines;"
                            + " normal clients: %d echoes, %d failed, latency median %.1f ms, max %.1f ms%n",
                    ATTACKERS, HEAP, DIRECT, outcomes, ooms, latencies.count(), latencies.failures.get(),
                    latencies.median(), latencies.max());
            assertEquals(0, ooms, "OutOfMemoryError in the server:\n" + output);
            assertEquals(0, latencies.failures.get(), "normal clients not served: " + latencies.errors);
            assertFalse(outcomes.containsKey("close 1011"), "attackers closed with 1011: " + outcomes);
            for (String outcome : outcomes.keySet()) {
                // 1008: a paused attacker's frame reached the frame timeout (30 s), possible in the large version.
                assertTrue(outcome.equals("close 1013") || outcome.equals("open") || outcome.equals("close 1008"),
                        "attackers must be closed with 1013 (or 1008 at the frame timeout) or stay open (paused): "
                                + outcomes);
            }
        } finally {
            attackers.forEach(Attacker::hangUp);
            normals.forEach(InboundMemoryBudgetAttackTest::hangUp);
            server.kill();
        }
    }

    private static void hangUp(RawClient client) {
        if (!client.socket().isClosed()) {
            client.reset();
        }
    }

    /** One hostile connection: a 1 MiB − 16 frame sent all but its last 10 bytes, then reads what comes back. */
    private static final class Attacker extends Thread {
        private final RawClient client;
        final AtomicLong sent = new AtomicLong();
        /** The Close code received, -1 while nothing ended, 1006 for an end without a Close frame. */
        private final AtomicInteger closeCode = new AtomicInteger(-1);

        Attacker(RawClient client) {
            super("attacker");
            setDaemon(true);
            this.client = client;
        }

        @Override
        public void run() {
            try {
                OutputStream out = client.socket().getOutputStream();
                // Binary, FIN, masked, 64-bit length, mask key 0 (the payload is arbitrary anyway).
                byte[] header = {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, (byte) (FRAME >>> 24), (byte) (FRAME >>> 16),
                        (byte) (FRAME >>> 8), (byte) FRAME, 0, 0, 0, 0};
                out.write(header);
                while (sent.get() < SENT) {
                    int n = (int) Math.min(CHUNK, SENT - sent.get());
                    out.write(PAYLOAD, 0, n);
                    sent.addAndGet(n);
                }
                out.flush();
            } catch (IOException e) {
                // The server closed the connection: the outcome says how.
            }
            readOutcome();
        }

        private void readOutcome() {
            try {
                client.socket().setSoTimeout(0);
                WireFrame close = client.readUntilClose();
                closeCode.set(close.closeCode());
            } catch (IOException | AssertionError e) {
                closeCode.compareAndSet(-1, 1006);
            }
        }

        boolean ended() {
            return closeCode.get() != -1;
        }

        String outcome() {
            int code = closeCode.get();
            return code == -1 ? "open" : "close " + code;
        }

        void hangUp() {
            closeCode.compareAndSet(-1, 0);
            InboundMemoryBudgetAttackTest.hangUp(client);
        }
    }

    /** Echo round trips of the normal clients. */
    private static final class Latencies {
        final List<Double> millis = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        final Map<String, String> errors = new ConcurrentHashMap<>();

        void echo(RawClient client, String text) {
            long start = System.nanoTime();
            try {
                client.sendText(text);
                WireFrame reply = client.readFrame();
                if (reply.opcode() != 1 || !reply.text().equals(text)) {
                    failures.incrementAndGet();
                    errors.put(text, "got " + reply);
                    return;
                }
                millis.add((System.nanoTime() - start) / 1e6);
            } catch (IOException | AssertionError e) {
                failures.incrementAndGet();
                errors.put(text, e.toString());
            }
        }

        void reset() {
            millis.clear();
        }

        int count() {
            return millis.size();
        }

        double median() {
            List<Double> sorted = new ArrayList<>(millis);
            sorted.sort(null);
            return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        }

        double max() {
            return millis.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    /** The server in its child JVM; its standard output and error are collected. */
    private static final class ChildServer {
        private final Process process;
        private final StringBuilder output = new StringBuilder();
        private final Thread reader;

        private ChildServer(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                } catch (IOException e) {
                    // The process is gone.
                }
            }, "budget-attack-server-output");
            reader.setDaemon(true);
            reader.start();
        }

        static ChildServer start() throws IOException {
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, HEAP, DIRECT, "-cp",
                    System.getProperty("java.class.path"), BudgetAttackServerMain.class.getName());
            builder.redirectErrorStream(true);
            return new ChildServer(builder.start());
        }

        int port() {
            String[] found = new String[1];
            Await.until("the server in the child JVM listens", () -> {
                synchronized (output) {
                    int at = output.indexOf("PORT ");
                    if (at >= 0 && output.indexOf("\n", at) > 0) {
                        found[0] = output.substring(at + 5, output.indexOf("\n", at));
                        return true;
                    }
                }
                return !process.isAlive();
            });
            assertTrue(found[0] != null, "the child server did not start:\n" + output);
            return Integer.parseInt(found[0].trim());
        }

        /** Ends the server and returns all it printed. */
        String stop() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // gone already
            }
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            reader.join(5000);
            synchronized (output) {
                return output.toString();
            }
        }

        void kill() {
            process.destroyForcibly();
        }
    }
}
