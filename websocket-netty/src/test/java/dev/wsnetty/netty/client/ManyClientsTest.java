package dev.wsnetty.netty.client;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.internal.IoType;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 5,000 {@link WebSocketClient}s in one process against our server: all connect, each exchanges a message, all
 * close cleanly, on the shared event loop threads (no thread per connection). 5,000 client and 5,000 server
 * sockets fit the 20,000 open files a process may have. Bounded by one deadline; times are printed, not
 * asserted.
 */
class ManyClientsTest {
    private static final int CLIENTS = 5_000;
    /** Handshakes in flight at once: enough to keep both sides busy, few enough for the server's accept queue. */
    private static final int IN_FLIGHT = 200;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void fiveThousandClientsConnectExchangeAMessageAndClose() throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        EchoEndpoint echo = new EchoEndpoint();
        // Epoll where it loads, and an accept queue for the handshakes in flight.
        try (TestServer server = TestServer.builder(TestServer.everywhere(echo).build())
                .io(IoType.best(), 1).backlog(8192).start()) {
            long start = System.nanoTime();
            List<CompletableFuture<Communicator>> attempts = new ArrayList<>(CLIENTS);
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            for (int i = 0; i < CLIENTS; i++) {
                if (!inFlight.tryAcquire(remaining(end), TimeUnit.NANOSECONDS)) {
                    fail("only " + i + " of " + CLIENTS + " handshakes started within " + DEADLINE);
                }
                CompletableFuture<Communicator> attempt =
                        new WebSocketClient("127.0.0.1", server.port(), "/client/" + i).connectAsync();
                attempt.whenComplete((c, e) -> inFlight.release());
                attempts.add(attempt);
            }
            List<Communicator> communicators = new ArrayList<>(CLIENTS);
            for (CompletableFuture<Communicator> attempt : attempts) {
                communicators.add(attempt.get(remaining(end), TimeUnit.NANOSECONDS));
            }
            long connected = System.nanoTime();
            // The server counts an upgrade after writing its 101, so the last clients may be ahead of it.
            Await.until("the server to count " + CLIENTS + " upgrades", Duration.ofNanos(remaining(end)),
                    () -> echo.upgradedCount() == CLIENTS);
            long clientThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("wsnetty-client-")).count();
            assertTrue(clientThreads <= Runtime.getRuntime().availableProcessors(),
                    clientThreads + " client event loop threads for " + CLIENTS + " connections");

            for (int i = 0; i < CLIENTS; i++) {
                communicators.get(i).writeStringMessage("hello from client " + i);
            }
            for (int i = 0; i < CLIENTS; i++) {
                StringMessage answer = communicators.get(i).waitForStringMessage(Duration.ofNanos(remaining(end)));
                assertNotNull(answer, "client " + i + " got no answer in time");
                assertEquals("hello from client " + i, answer.data());
            }
            long exchanged = System.nanoTime();

            for (Communicator c : communicators) {
                c.close(1000, "done");
            }
            for (int i = 0; i < CLIENTS; i++) {
                CloseStatus status = communicators.get(i).awaitClose(Duration.ofNanos(remaining(end)));
                assertNotNull(status, "client " + i + " did not close in time");
                assertEquals(1000, status.code(), "client " + i);
            }
            for (int i = 0; i < CLIENTS; i++) {
                EchoEndpoint.Connection atServer = echo.nextConnection();
                assertTrue(atServer.closeEvents().next().isClean(),
                        "unclean close at the server for " + atServer.request().path());
            }
            long closed = System.nanoTime();
            System.out.printf("%d clients: connected in %d ms, exchanged in %d ms, closed in %d ms (%d client"
                            + " event loop threads)%n", CLIENTS, millis(connected - start), millis(exchanged - connected),
                    millis(closed - exchanged), clientThreads);
        }
    }

    private static long remaining(long end) {
        return Math.max(0, end - System.nanoTime());
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
