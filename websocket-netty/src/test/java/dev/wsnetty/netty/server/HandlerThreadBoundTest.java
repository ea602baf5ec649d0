package dev.wsnetty.netty.server;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.Communicator;
import dev.wsnetty.HandlerThread;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ServerConfig#maxPlatformHandlerThreads()} over real sockets: handshakes beyond the bound get 503 with
 * {@code Retry-After} before any 101, the connections within it are served, and a slot is free again once its
 * connection ended. Runs where handlers hold platform threads (Java 17-20, as the build's JDK 17).
 */
class HandlerThreadBoundTest {
    private static final int BOUND = 4;
    private static final int EXTRA = 3;

    @ParameterizedTest
    @EnumSource(HandlerKind.class)
    void handshakesBeyondTheBoundGet503WithRetryAfterAndSlotsComeBackOnClose(HandlerKind kind) throws IOException {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().kind(kind)
                .configure(s -> s.setServerConfig(ServerConfig.builder()
                        .maxPlatformHandlerThreads(BOUND).retryAfter(Duration.ofSeconds(7)).build()))
                .start()) {
            List<RawClient> served = new ArrayList<>();
            List<Communicator> communicators = new ArrayList<>();
            for (int i = 0; i < BOUND; i++) {
                served.add(RawClient.upgrade(server.port(), "/"));
                communicators.add(server.next());
            }
            for (int i = 0; i < EXTRA; i++) {
                // The answer is the first thing on the connection: no 101 came before it.
                String answer = RawClient.exchange(server.port(), request(server.port()));
                assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
                assertTrue(answer.contains("\r\nRetry-After: 7\r\n"), answer);
                assertTrue(answer.endsWith("all " + BOUND + " handler threads are in use (maxPlatformHandlerThreads)"),
                        answer);
            }
            for (int i = 0; i < BOUND; i++) {
                communicators.get(i).writeStringMessage("still served " + i);
                assertEquals("still served " + i, served.get(i).readFrame().text());
            }

            RawClient leaving = served.remove(0);
            leaving.sendClose(CloseCodes.NORMAL_CLOSURE, "");
            assertEquals(CloseCodes.NORMAL_CLOSURE, leaving.readUntilClose().closeCode());
            leaving.close();
            Await.until("a slot is free again once a connection ended",
                    () -> upgrades(server.port(), served));
            assertEquals(BOUND, served.size());
            for (RawClient client : served) {
                client.close();
            }
        }
    }

    @Test
    void aHandlerThreadThatCannotBeCreatedGets503BeforeThe101() throws IOException {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start()) {
            server.server().registerHandler("*", "/starved", new ThreadedWebSocketHandler() {
                @Override
                public HandlerThread reserveThread(Runnable whenEnded) {
                    // What HandlerThread makes of the JVM's OutOfMemoryError at the process's thread limit.
                    throw new RejectedExecutionException("no handler thread could be started: unable to create"
                            + " native thread: possibly out of memory or process/resource limits reached");
                }
            });
            String answer = RawClient.exchange(server.port(), UpgradeRequest.to("/starved")
                    .header("Host", "127.0.0.1:" + server.port()).toString());
            assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
            assertTrue(answer.contains("\r\nRetry-After: 5\r\n"), answer);
            assertTrue(answer.endsWith("no handler thread can be started"), answer);
        }
    }

    /** Whether a new handshake gets its 101; keeps the connection in {@code open} if so. */
    private static boolean upgrades(int port, List<RawClient> open) {
        try {
            RawClient client = RawClient.connect(port);
            client.send(request(port));
            String head = client.readHead();
            if (head.equals(UpgradeRequest.SWITCHING)) {
                open.add(client);
                return true;
            }
            client.close();
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String request(int port) {
        return UpgradeRequest.to("/").header("Host", "127.0.0.1:" + port).toString();
    }
}
