package dev.wsnetty.netty.server;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.WebSocketTimeoutException;
import dev.wsnetty.internal.VirtualThreads;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ServerConfig#handlerThreadsOnEventLoop()}: with the JDK's scheduler hook (Java 21+ and
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, which the build's test JVMs get) a handler's virtual thread
 * is carried by its connection's event loop, and the blocking API keeps its contracts there: messages and replies in
 * order, writes from several threads each in order, a close while writing refuses the later writes, and a write
 * that waits for room parks the handler, not the event loop, until the write timeout. Without the hook (Java 17)
 * the same tests check the fallback to ordinary handler threads.
 */
class HandlerThreadsOnEventLoopTest {
    private static final int MESSAGES = 500;
    private static final int WRITERS = 4;
    private static final int PER_WRITER = 200;

    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void handlerRunsOnItsEventLoopAndEchoesInOrder() throws IOException {
        CompletableFuture<String> handlerThread = new CompletableFuture<>();
        start(Duration.ofSeconds(10), c -> {
            handlerThread.complete(Thread.currentThread().toString());
            WebSocketMessage m;
            while ((m = c.waitForMessage()) != null) {
                c.writeStringMessage(((StringMessage) m).data());
            }
        });
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                frames.add(Frames.masked(true, 0x1, ("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
            client.send(frames.toArray(new byte[0][])); // in one write: many messages per read
            for (int i = 0; i < MESSAGES; i++) {
                WireFrame f = client.readFrame();
                assertEquals(0x1, f.opcode());
                assertEquals("m" + i, new String(f.payload(), StandardCharsets.UTF_8), "reply " + i);
            }
            String thread = handlerThread.join();
            if (VirtualThreads.whySchedulerUnavailable() == null) {
                // A virtual thread's name shows its carrier while it runs: the server's (only) event loop.
                assertTrue(thread.startsWith("VirtualThread") && thread.contains("@wsnetty-server"), thread);
            } else {
                assertFalse(thread.contains("@wsnetty-server"), thread);
            }
        }
    }

    @Test
    void writesFromSeveralThreadsKeepEachWritersOrder() throws IOException {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        start(Duration.ofSeconds(10), c -> {
            List<Thread> writers = new ArrayList<>();
            for (int w = 1; w < WRITERS; w++) {
                int writer = w;
                writers.add(new Thread(() -> writeAll(c, writer, failures), "writer-" + w));
            }
            writers.forEach(Thread::start);
            writeAll(c, 0, failures); // the handler's own thread is writer 0
            for (Thread t : writers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            c.awaitClose();
        });
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            Map<Integer, Integer> next = new HashMap<>();
            for (int i = 0; i < WRITERS * PER_WRITER; i++) {
                String[] parts = new String(client.readFrame().payload(), StandardCharsets.UTF_8).split(":");
                int writer = Integer.parseInt(parts[0]);
                assertEquals(next.getOrDefault(writer, 0), Integer.parseInt(parts[1]), "writer " + writer);
                next.put(writer, Integer.parseInt(parts[1]) + 1);
            }
            assertEquals(List.of(), failures);
        }
    }

    @Test
    void closeWhileWritingRefusesLaterWritesAndSendsEveryAcceptedOneFirst() throws IOException {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        int[] accepted = new int[1];
        start(Duration.ofSeconds(10), c -> {
            try {
                for (int i = 0; ; i++) {
                    c.writeStringMessage("w" + i);
                    accepted[0] = i + 1; // read after the handler ended
                }
            } catch (RuntimeException e) {
                ended.complete(e);
            }
        });
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            assertEquals("w0", new String(client.readFrame().payload(), StandardCharsets.UTF_8));
            client.sendClose(1000, "enough");
            int received = 1;
            WireFrame f;
            while ((f = client.readFrame()).opcode() != 0x8) {
                assertEquals("w" + received, new String(f.payload(), StandardCharsets.UTF_8));
                received++;
            }
            assertInstanceOf(WebSocketClosedException.class, ended.join());
            // Every write that returned normally came out before the Close.
            assertEquals(accepted[0], received);
        }
    }

    @Test
    void writeWaitingForRoomParksTheHandlerNotTheEventLoop() throws Exception {
        CompletableFuture<Thread> blockedThread = new CompletableFuture<>();
        CompletableFuture<Throwable> blockedEnded = new CompletableFuture<>();
        start(Duration.ofSeconds(3), c -> {
            WebSocketMessage m = c.waitForMessage();
            if ("flood".equals(((StringMessage) m).data())) {
                blockedThread.complete(Thread.currentThread());
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (true) {
                        c.writeBinaryMessage(chunk); // until the peer's buffers are full and the timeout passes
                    }
                } catch (RuntimeException e) {
                    blockedEnded.complete(e);
                }
                return;
            }
            do {
                c.writeStringMessage(((StringMessage) m).data());
            } while ((m = c.waitForMessage()) != null);
        });
        try (RawClient flooded = RawClient.connect(server.port(), HandlerThreadsOnEventLoopTest::smallReceiveBuffer)
                .upgrade("/");
             RawClient other = RawClient.upgrade(server.port(), "/")) {
            flooded.sendText("flood");
            Thread blocked = blockedThread.get(10, TimeUnit.SECONDS);
            Await.until("the flooding handler waits for room",
                    () -> blocked.getState() == Thread.State.WAITING || blocked.getState() == Thread.State.TIMED_WAITING);
            // The same (single) event loop still serves the other connection while the first handler waits.
            for (int i = 0; i < 20; i++) {
                other.sendText("ping" + i);
                assertEquals("ping" + i, new String(other.readFrame().payload(), StandardCharsets.UTF_8));
            }
            assertFalse(blockedEnded.isDone(), "the write timed out before the other connection was served");
            assertInstanceOf(WebSocketTimeoutException.class, blockedEnded.get(10, TimeUnit.SECONDS));
            flooded.reset();
        }
    }

    private void start(Duration writeTimeout, Consumer<Communicator> body) {
        server = new WebSocketServer("127.0.0.1", 0);
        server.setEventLoopThreads(1);
        server.setServerConfig(ServerConfig.builder().handlerThreadsOnEventLoop(true).build());
        server.setCommunicatorConfig(CommunicatorConfig.builder().writeTimeout(writeTimeout).build());
        server.registerHandler("*", "*", new ThreadedWebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator communicator) {
                body.accept(communicator);
            }
        }, true, true);
        server.bind();
    }

    private static void writeAll(Communicator c, int writer, List<Throwable> failures) {
        try {
            for (int seq = 0; seq < PER_WRITER; seq++) {
                c.writeStringMessage(writer + ":" + seq);
            }
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private static void smallReceiveBuffer(java.net.Socket socket) {
        try {
            socket.setReceiveBufferSize(8192);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }
}
