package dev.wsnetty.netty.adapter;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.PongMessage;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketTimeoutException;
import dev.wsnetty.netty.adapter.RawWebSocketClient.Frame;
import dev.wsnetty.spi.QueuedCommunicator;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NettyCommunicators#attach} over real loopback connections: our handshake, a raw client on the wire. */
class NettyCommunicatorsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private CommunicatorTestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void deliversTextBinaryAndPongAndWritesText() throws Exception {
        server = new CommunicatorTestServer();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            QueuedCommunicator c = server.nextCommunicator();
            client.sendText("héllo");
            client.sendBinary(new byte[] {1, 2, 3});
            client.sendFrame(0xA, true, "beat".getBytes(StandardCharsets.UTF_8));

            assertEquals(new StringMessage("héllo"), c.waitForMessage(Communicator.DEFAULT_MESSAGE_TYPES, WAIT));
            assertEquals(new BinaryMessage(new byte[] {1, 2, 3}), c.waitForMessage(Communicator.DEFAULT_MESSAGE_TYPES, WAIT));
            assertEquals(new PongMessage("beat".getBytes(StandardCharsets.UTF_8)),
                    c.waitForMessage(Communicator.DEFAULT_MESSAGE_TYPES, WAIT));

            c.writeStringMessage("answer");
            Frame f = client.readFrame();
            assertEquals(0x1, f.opcode());
            assertTrue(f.fin());
            assertEquals("answer", f.text());
        }
    }

    @Test
    void exposesChannelAndRealAddresses() throws Exception {
        server = new CommunicatorTestServer();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            QueuedCommunicator c = server.nextCommunicator();
            Channel channel = c.unwrap(Channel.class);
            assertNotNull(channel);
            assertSame(channel, c.unwrap(io.netty.channel.socket.SocketChannel.class));
            assertEquals(client.socket().getLocalPort(), c.remoteAddress().getPort());
            assertEquals(server.port(), c.localAddress().getPort());
            assertTrue(c.remoteAddress().getAddress().isLoopbackAddress());
        }
    }

    @Test
    void fragmentedMessageWithPingInsideArrivesWhole() throws Exception {
        server = new CommunicatorTestServer();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            QueuedCommunicator c = server.nextCommunicator();
            client.sendFrame(0x1, false, bytes("frag"));
            client.sendFrame(0x9, true, bytes("p"));
            client.sendFrame(0x0, false, bytes("men"));
            client.sendFrame(0x0, true, bytes("ted"));

            Frame pong = client.readFrame();
            assertEquals(0xA, pong.opcode());
            assertEquals("p", pong.text());
            assertEquals(new StringMessage("fragmented"), c.waitForStringMessage(WAIT));
            assertFalse(c.hasMessages());
        }
    }

    @Test
    void messageStreamSendsContinuationFramesAndFinOnClose() throws Exception {
        server = new CommunicatorTestServer();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            QueuedCommunicator c = server.nextCommunicator();
            Thread writer = new Thread(() -> {
                try (MessageOutputStream out = c.writeMessage(MessageType.BINARY, 4)) {
                    out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
                }
            });
            writer.start();
            writer.join(WAIT.toMillis());

            Frame first = client.readFrame();
            Frame second = client.readFrame();
            Frame last = client.readFrame();
            assertEquals(List.of(0x2, 0x0, 0x0), List.of(first.opcode(), second.opcode(), last.opcode()));
            assertEquals(List.of(false, false, true), List.of(first.fin(), second.fin(), last.fin()));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, first.payload());
            assertArrayEquals(new byte[] {5, 6, 7, 8}, second.payload());
            assertArrayEquals(new byte[] {9}, last.payload());
        }
    }

    @Test
    void closeSendsCodeAndReasonAndReportsOnceWhenThePeerAnswers() throws Exception {
        server = new CommunicatorTestServer();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            QueuedCommunicator c = server.nextCommunicator();
            List<CloseStatus> reports = new CopyOnWriteArrayList<>();
            CountDownLatch closed = new CountDownLatch(1);
            c.setOnClose((comm, status) -> {
                reports.add(status);
                closed.countDown();
            });

            c.close(4001, "done here");
            assertFalse(c.isOpen());
            Frame close = client.readFrame();
            assertEquals(4001, close.closeCode());
            assertEquals("done here", close.closeReason());
            client.sendClose(4001, "ack");
            client.assertEndOfStream();

            // The status is the peer's answer, as the close event reports it once a Close frame was received.
            assertTrue(closed.await(10, TimeUnit.SECONDS));
            assertEquals(List.of(new CloseStatus(4001, "ack")), reports);
        }
    }

    @Test
    void peersCloseCodeIsEchoedAndReported() throws Exception {
        server = new CommunicatorTestServer();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            QueuedCommunicator c = server.nextCommunicator();
            client.sendClose(3005, "bye now");
            Frame echo = client.readFrame();
            assertEquals(3005, echo.closeCode());
            client.assertEndOfStream();
            assertEquals(new CloseStatus(3005, "bye now"), c.awaitClose(WAIT));
            WebSocketClosedException e = assertThrows(WebSocketClosedException.class, () -> c.writeStringMessage("x"));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void vanishedPeerReportsAbnormalClosureOnce() throws Exception {
        server = new CommunicatorTestServer();
        RawWebSocketClient client = RawWebSocketClient.connect(server.port());
        QueuedCommunicator c = server.nextCommunicator();
        List<CloseStatus> reports = new CopyOnWriteArrayList<>();
        AtomicReference<Integer> portSeenInListener = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        c.setOnClose((comm, status) -> {
            reports.add(status);
            portSeenInListener.set(comm.remoteAddress().getPort());
            closed.countDown();
        });
        int clientPort = client.socket().getLocalPort();

        client.reset();

        assertTrue(closed.await(10, TimeUnit.SECONDS), "onClose did not fire after a TCP reset");
        assertEquals(1006, reports.get(0).code());
        assertEquals(clientPort, portSeenInListener.get());
        assertFalse(c.isOpen());
        WebSocketClosedException e = assertThrows(WebSocketClosedException.class, () -> c.writeStringMessage("x"));
        assertTrue(e.getMessage().contains(String.valueOf(clientPort)), e.getMessage());
        Await.until("no second onClose", () -> reports.size() == 1);
        assertEquals(1, reports.size());
    }

    @Test
    void writingOnTheEventLoopIsRefusedWithAClearException() throws Exception {
        server = new CommunicatorTestServer();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            QueuedCommunicator c = server.nextCommunicator();
            Channel channel = c.unwrap(Channel.class);
            Throwable thrown = channel.eventLoop().submit(() -> {
                try {
                    c.writeStringMessage("from the loop");
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }).get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, thrown);
            assertTrue(thrown.getMessage().contains("event loop"), thrown.getMessage());
            assertTrue(c.isOpen(), "a refused write must not harm the connection");
            c.writeStringMessage("from a thread");
            assertEquals("from a thread", client.readFrame().text());
        }
    }

    @Test
    void blockedWriteTimesOutWithAClearExceptionWhenThePeerDoesNotRead() throws Exception {
        CommunicatorConfig settings = CommunicatorConfig.builder().writeTimeout(Duration.ofMillis(500)).build();
        server = new CommunicatorTestServer(settings, 8192);
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port(), "localhost", "/",
                s -> setReceiveBuffer(s, 8192))) {
            QueuedCommunicator c = server.nextCommunicator();
            Channel channel = c.unwrap(Channel.class);
            byte[] chunk = new byte[16 * 1024];
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        c.writeBinaryMessage(chunk);
                    }
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            writer.start();
            writer.join(WAIT.toMillis());
            assertFalse(writer.isAlive(), "the writer never gave up");
            WebSocketTimeoutException e = assertInstanceOf(WebSocketTimeoutException.class, failure.get());
            assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
            assertTrue(e.getMessage().contains(String.valueOf(client.socket().getLocalPort())), e.getMessage());
            assertFalse(channel.isWritable());
            assertTrue(channel.isActive(), "a timed out write does not close the connection");
        }
    }

    @Test
    void blockedWriteResumesWhenThePeerReadsAgain() throws Exception {
        server = new CommunicatorTestServer(CommunicatorConfig.DEFAULT, 8192);
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port(), "localhost", "/",
                s -> setReceiveBuffer(s, 8192))) {
            QueuedCommunicator c = server.nextCommunicator();
            Channel channel = c.unwrap(Channel.class);
            int messages = 200;
            byte[] chunk = new byte[16 * 1024];
            Thread writer = new Thread(() -> {
                for (int i = 0; i < messages; i++) {
                    chunk[0] = (byte) i;
                    c.writeBinaryMessage(chunk);
                }
            });
            writer.start();
            Await.until("the writer blocks on an unwritable channel", () -> !channel.isWritable()
                    && (writer.getState() == Thread.State.WAITING || writer.getState() == Thread.State.TIMED_WAITING));
            for (int i = 0; i < messages; i++) {
                Frame f = client.readFrame();
                assertEquals((byte) i, f.payload()[0], "message " + i + " out of order");
            }
            writer.join(WAIT.toMillis());
            assertFalse(writer.isAlive());
        }
    }

    @Test
    void attachOffTheEventLoopIsRefused() throws Exception {
        server = new CommunicatorTestServer();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            Channel channel = server.nextCommunicator().unwrap(Channel.class);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> NettyCommunicators.attach(channel));
            assertTrue(e.getMessage().contains("event loop"), e.getMessage());
        }
    }

    private static void setReceiveBuffer(Socket s, int size) {
        try {
            s.setReceiveBufferSize(size);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
