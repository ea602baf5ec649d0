package dev.wsnetty.netty.server;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WebSocketServer#stop(Duration)} and {@link WebSocketServer#stopOnShutdown(Duration)}, over real sockets. */
class ShutdownTest {
    private static final int CLIENTS = 3;

    @Test
    void stopWithGraceSendsGoingAwayToRawAndBlockingClients() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().kind(HandlerKind.THREADED).start()) {
            List<RawClient> raw = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                raw.add(RawClient.upgrade(server.port(), "/"));
                server.next();
            }
            Communicator blocking = new WebSocketClient("127.0.0.1", server.port(), "/").connect();
            server.next();

            long started = System.nanoTime();
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> server.server().stop(Duration.ofSeconds(5)));
            for (RawClient client : raw) {
                WireFrame close = client.readUntilClose();
                assertEquals(CloseCodes.GOING_AWAY, close.closeCode());
                assertEquals("Server shutting down", close.closeReason());
                client.sendClose(CloseCodes.GOING_AWAY, "");
                client.expectEndOfStream();
                client.close();
            }
            blocking.awaitClose();
            assertEquals(new CloseStatus(CloseCodes.GOING_AWAY, "Server shutting down"), blocking.closeStatus());
            stop.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(tookMillis < 4000, "every peer answered, so stop ends before the grace: " + tookMillis + " ms");
        }
    }

    @Test
    void aHandlerThatNeverEndsAndASilentPeerDoNotHoldStopBeyondGrace() throws Exception {
        CountDownLatch testOver = new CountDownLatch(1);
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.registerHandler("*", "*", HandlerKind.THREADED.create(c -> {
            // Ignores the close entirely, as a buggy handler would.
            while (testOver.getCount() > 0) {
                try {
                    testOver.await();
                } catch (InterruptedException ignored) {
                    // keep going
                }
            }
        }), true, true);
        server.bind();
        try (RawClient silent = RawClient.upgrade(server.port(), "/")) {
            long started = System.nanoTime();
            server.stop(Duration.ofMillis(500));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(tookMillis >= 400 && tookMillis < 2500, "stop(500 ms) took " + tookMillis + " ms");
            assertEquals(CloseCodes.GOING_AWAY, silent.readUntilClose().closeCode());
            assertTrue(silent.isClosedByPeer(), "TCP closed after the grace");
        } finally {
            testOver.countDown();
        }
    }

    @Test
    void sigtermOfAServerStartedWithStartAndStopOnShutdownSendsGoingAway() throws Exception {
        Process child = startChild(ShutdownChildServer.class.getName());
        List<RawClient> clients = new ArrayList<>();
        try {
            int port = readPort(child);
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(RawClient.upgrade(port, "/"));
            }
            child.destroy(); // SIGTERM
            int goingAway = 0;
            for (RawClient client : clients) {
                WireFrame close = client.readUntilClose();
                if (close.closeCode() == CloseCodes.GOING_AWAY) {
                    goingAway++;
                }
                client.sendClose(CloseCodes.GOING_AWAY, "");
            }
            assertEquals(CLIENTS, goingAway, "clients that got Close 1001");
            assertTrue(child.waitFor(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "the child ended");
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
            child.destroyForcibly();
        }
    }

    static Process startChild(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The port the child prints as its first line ("PORT n"). */
    static int readPort(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("PORT "), "child said: " + line);
        return Integer.parseInt(line.substring(5).trim());
    }
}
