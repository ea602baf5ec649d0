package dev.wsnetty.netty.hostile;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Stream;

import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.BINARY_FIRST;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that vanish: a TCP reset (SO_LINGER 0) halfway through a frame, and connection churn (connects and closes as
 * fast as they come, handshakes cut off at every stage). No answer can reach a peer that is gone; what the server
 * owes is to release everything the connection held: its buffers (the leak detector, the memory budget), its place
 * in the connection count and its handler thread; its handler sees 1006. And it logs nothing at WARNING or above:
 * a peer's reset is not the server's problem.
 */
@Tag(Hostile.TAG)
class ResetAndChurnTest {
    private static final int RESETS = Hostile.size(10, 400);
    private static final int CHURN_THREADS = 4;
    private static final int CHURN_PER_THREAD = Hostile.size(250, 5000);
    private static final byte[] LARGE = Frames.client(BINARY, new byte[512 * 1024]);

    static Stream<Arguments> cutFrames() {
        byte[] fragments = Bytes.concat(Frames.client(BINARY_FIRST, new byte[1000]),
                Frames.client(CONTINUATION, new byte[1000]), Frames.client(CONTINUATION, new byte[300_000]));
        return Stream.of(HandlerKind.values()).flatMap(kind -> Stream.of(
                Arguments.of("inside the extended length", Arrays.copyOf(LARGE, 5), kind),
                Arguments.of("inside the masking key", Arrays.copyOf(LARGE, 12), kind),
                Arguments.of("halfway through a 512 KiB payload", Arrays.copyOf(LARGE, LARGE.length / 2), kind),
                Arguments.of("inside a fragmented message", Arrays.copyOf(fragments, fragments.length - 1000), kind)));
    }

    /**
     * Ten connections (400 under the profile) send part of a frame and reset: each handler sees 1006,
     * and the bytes held for the unfinished frame or message are released.
     */
    @ParameterizedTest(name = "reset {0}, {2} handlers")
    @MethodSource("cutFrames")
    void aResetHalfwayThroughAFrameReleasesEverything(String where, byte[] part, HandlerKind kind) throws Exception {
        try (AttackedServer server = AttackedServer.start(kind, ResetAndChurnTest::defaultDeadlines);
             LogCapture log = new LogCapture("dev.wsnetty", Level.WARNING)) {
            List<RawClient> attackers = new ArrayList<>();
            for (int i = 0; i < RESETS; i++) {
                RawClient attacker = RawClient.upgrade(server.port(), AttackedServer.ECHO);
                attackers.add(attacker);
                attacker.send(part);
            }
            server.assertServed();
            if (part.length > 100_000) {
                Await.until("the server holds the partial frames", () -> server.budget().used() > 0);
            }
            attackers.forEach(RawClient::reset);
            assertEnds(server, RESETS, Set.of(1006));
            server.assertReleased();
            assertEquals(List.of(), log.messages(Level.WARNING), log.describe());
        }
    }

    /**
     * Whole messages the handler has not taken yet (64 KiB each, queued and counted against the budget), then a
     * reset: the queue's bytes are released although nobody takes them.
     */
    @Test
    void aResetWithQueuedMessagesReleasesThem() throws Exception {
        try (AttackedServer server = AttackedServer.start(ResetAndChurnTest::defaultDeadlines);
             LogCapture log = new LogCapture("dev.wsnetty", Level.WARNING)) {
            List<RawClient> attackers = new ArrayList<>();
            byte[] messages = Bytes.concat(Frames.client(BINARY, new byte[65536]), Frames.client(BINARY,
                    new byte[65536]), Frames.client(BINARY, new byte[65536]));
            for (int i = 0; i < RESETS; i++) {
                RawClient attacker = RawClient.upgrade(server.port(), AttackedServer.HOLD);
                attackers.add(attacker);
                attacker.send(messages);
            }
            Await.until("the messages are queued (" + server.budget().used() + " bytes held)",
                    () -> server.budget().used() >= RESETS * 3L * 65536);
            server.assertServed();
            attackers.forEach(RawClient::reset);
            assertEnds(server, RESETS, Set.of(1006));
            server.assertReleased();
            assertEquals(List.of(), log.messages(Level.WARNING), log.describe());
        }
    }

    /**
     * {@value #CHURN_THREADS} threads each make 250 connections (5000 under the profile),
     * ending each at another stage ({@link Churn}), while normal clients keep being served. Afterwards nothing is
     * left, the handlers saw 1000 or 1006, and nothing was logged at WARNING or above.
     */
    @ParameterizedTest(name = "{0} handlers")
    @EnumSource(HandlerKind.class)
    void connectionChurnLeavesNothingBehind(HandlerKind kind) throws Exception {
        try (AttackedServer server = AttackedServer.start(kind);
             LogCapture log = new LogCapture("dev.wsnetty", Level.WARNING)) {
            Map<Churn, AtomicInteger> done = new ConcurrentHashMap<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < CHURN_THREADS; t++) {
                int first = t;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < CHURN_PER_THREAD; i++) {
                        Churn churn = Churn.values()[(first + i) % Churn.values().length];
                        try {
                            churn.run(server);
                            done.computeIfAbsent(churn, c -> new AtomicInteger()).incrementAndGet();
                        } catch (IOException | RuntimeException | AssertionError e) {
                            failures.add(e);
                        }
                    }
                }, "churn-" + t);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            int served = 0;
            while (threads.stream().anyMatch(Thread::isAlive)) {
                server.assertServed();
                served++;
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(List.of(), failures, "the churning clients themselves");
            System.out.printf("churn: %s; %d normal clients served meanwhile%n", new TreeMap<>(done), served);
            server.assertReleased();
            Map<Integer, Integer> codes = new TreeMap<>();
            for (CloseStatus end : server.endsSoFar()) {
                codes.merge(end.code(), 1, Integer::sum);
            }
            assertTrue(Set.of(1000, 1006).containsAll(codes.keySet()), "handlers saw " + codes);
            assertEquals(List.of(), log.messages(Level.WARNING), log.describe());
        }
    }

    /** The stages at which a churning client goes. */
    enum Churn {
        /** Connects and closes at once. */
        CONNECT_CLOSE,
        /** Connects and resets at once. */
        CONNECT_RESET,
        /** Sends half the request and closes. */
        HALF_REQUEST_CLOSE,
        /** Sends half the request and resets. */
        HALF_REQUEST_RESET,
        /** Sends the whole request and closes without reading the answer. */
        REQUEST_CLOSE,
        /** Sends the whole request and resets. */
        REQUEST_RESET,
        /** Reads the 101 and closes without a Close frame. */
        UPGRADE_CLOSE,
        /** Reads the 101 and resets. */
        UPGRADE_RESET,
        /** Reads the 101, sends Close 1000 and closes without waiting for the answer. */
        UPGRADE_CLOSE_FRAME,
        /** Reads the 101, sends half a frame and closes. */
        UPGRADE_HALF_FRAME_CLOSE;

        void run(AttackedServer server) throws IOException {
            RawClient client = RawClient.connect(server.port());
            byte[] request = server.request(AttackedServer.ECHO).toString().getBytes(StandardCharsets.ISO_8859_1);
            switch (this) {
                case CONNECT_CLOSE, HALF_REQUEST_CLOSE, REQUEST_CLOSE, UPGRADE_CLOSE, UPGRADE_CLOSE_FRAME,
                     UPGRADE_HALF_FRAME_CLOSE -> {
                    send(client, request);
                    client.close();
                }
                default -> {
                    send(client, request);
                    client.reset();
                }
            }
        }

        private void send(RawClient client, byte[] request) throws IOException {
            switch (this) {
                case HALF_REQUEST_CLOSE, HALF_REQUEST_RESET -> client.send(Arrays.copyOf(request, request.length / 2));
                case REQUEST_CLOSE, REQUEST_RESET -> client.send(request);
                case UPGRADE_CLOSE, UPGRADE_RESET, UPGRADE_CLOSE_FRAME, UPGRADE_HALF_FRAME_CLOSE -> {
                    client.send(request);
                    client.readHead();
                    if (this == UPGRADE_CLOSE_FRAME) {
                        client.sendClose(1000, "");
                    } else if (this == UPGRADE_HALF_FRAME_CLOSE) {
                        client.send(Arrays.copyOf(LARGE, 1000));
                    }
                }
                default -> {
                    // nothing sent
                }
            }
        }
    }

    /**
     * The default frame and message deadlines: the unfinished frames must wait for their resets however long it
     * takes to open all the connections (seconds under the profile).
     */
    private static WebSocketConfig.Builder defaultDeadlines(WebSocketConfig.Builder config) {
        return config.frameTimeout(WebSocketConfig.DEFAULT.frameTimeout())
                .messageTimeout(WebSocketConfig.DEFAULT.messageTimeout());
    }

    /** The handlers of {@code n} connections saw one of {@code codes}. */
    private static void assertEnds(AttackedServer server, int n, Set<Integer> codes) {
        for (int i = 0; i < n; i++) {
            CloseStatus end = server.nextEnd();
            assertTrue(codes.contains(end.code()), "a handler saw " + end);
        }
    }
}
