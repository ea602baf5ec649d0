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
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.spi.QueuedCommunicator;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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

    /** The communicator of each upgraded connection, as {@link NettyCommunicators#attach} made it. */
    private final EventRecorder<QueuedCommunicator> communicators = new EventRecorder<>("upgraded connection");
    private TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Starts our handshake followed by {@link NettyCommunicators#attach} with {@code settings}; the accepted sockets'
     * SO_SNDBUF is {@code sendBuffer} bytes (0 for the system default).
     */
    private void startServer(CommunicatorConfig settings, int sendBuffer) {
        WebSocketEndpoint attach = (channel, request, subprotocol) ->
                communicators.record(NettyCommunicators.attach(channel, settings));
        server = TestServer.builder(TestServer.everywhere(attach).config(WebSocketConfig.DEFAULT).build())
                .sendBuffer(sendBuffer).start();
    }

    @Test
    void deliversTextBinaryAndPongAndWritesText() throws Exception {
        startServer(CommunicatorConfig.DEFAULT, 0);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            QueuedCommunicator c = communicators.next();
            client.sendText("héllo");
            client.sendBinary(new byte[] {1, 2, 3});
            client.sendFrame(0xA, true, "beat".getBytes(StandardCharsets.UTF_8));

            assertEquals(new StringMessage("héllo"), c.waitForMessage(Communicator.DEFAULT_MESSAGE_TYPES, WAIT));
            assertEquals(new BinaryMessage(new byte[] {1, 2, 3}), c.waitForMessage(Communicator.DEFAULT_MESSAGE_TYPES, WAIT));
            assertEquals(new PongMessage("beat".getBytes(StandardCharsets.UTF_8)),
                    c.waitForMessage(Communicator.DEFAULT_MESSAGE_TYPES, WAIT));

            c.writeStringMessage("answer");
            WireFrame f = client.readFrame();
            assertEquals(0x1, f.opcode());
            assertTrue(f.fin());
            assertEquals("answer", f.text());
        }
    }

    @Test
    void exposesChannelAndRealAddresses() throws Exception {
        startServer(CommunicatorConfig.DEFAULT, 0);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            QueuedCommunicator c = communicators.next();
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
        startServer(CommunicatorConfig.DEFAULT, 0);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            QueuedCommunicator c = communicators.next();
            client.sendFrame(0x1, false, bytes("frag"));
            client.sendFrame(0x9, true, bytes("p"));
            client.sendFrame(0x0, false, bytes("men"));
            client.sendFrame(0x0, true, bytes("ted"));

            WireFrame pong = client.readFrame();
            assertEquals(0xA, pong.opcode());
            assertEquals("p", pong.text());
            assertEquals(new StringMessage("fragmented"), c.waitForStringMessage(WAIT));
            assertFalse(c.hasMessages());
        }
    }

    @Test
    void messageStreamSendsContinuationFramesAndFinOnClose() throws Exception {
        startServer(CommunicatorConfig.DEFAULT, 0);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            QueuedCommunicator c = communicators.next();
            Thread writer = new Thread(() -> {
                try (MessageOutputStream out = c.writeMessage(MessageType.BINARY, 4)) {
                    out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
                }
            });
            writer.start();
            writer.join(WAIT.toMillis());

            WireFrame first = client.readFrame();
            WireFrame second = client.readFrame();
            WireFrame last = client.readFrame();
            assertEquals(List.of(0x2, 0x0, 0x0), List.of(first.opcode(), second.opcode(), last.opcode()));
            assertEquals(List.of(false, false, true), List.of(first.fin(), second.fin(), last.fin()));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, first.payload());
            assertArrayEquals(new byte[] {5, 6, 7, 8}, second.payload());
            assertArrayEquals(new byte[] {9}, last.payload());
        }
    }

    @Test
    void closeSendsCodeAndReasonAndReportsOnceWhenThePeerAnswers() throws Exception {
        startServer(CommunicatorConfig.DEFAULT, 0);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            QueuedCommunicator c = communicators.next();
            EventRecorder<CloseStatus> closes = new EventRecorder<>("onClose call");
            c.setOnClose((comm, status) -> closes.record(status));

            c.close(4001, "done here");
            assertFalse(c.isOpen());
            WireFrame close = client.readFrame();
            assertEquals(4001, close.closeCode());
            assertEquals("done here", close.closeReason());
            client.sendClose(4001, "ack");
            client.expectEndOfStream();

            // The status is the peer's answer, as the close event reports it once a Close frame was received.
            closes.assertNext(new CloseStatus(4001, "ack"));
            closes.assertExhausted();
        }
    }

    @Test
    void peersCloseCodeIsEchoedAndReported() throws Exception {
        startServer(CommunicatorConfig.DEFAULT, 0);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            QueuedCommunicator c = communicators.next();
            client.sendClose(3005, "bye now");
            WireFrame echo = client.readFrame();
            assertEquals(3005, echo.closeCode());
            client.expectEndOfStream();
            assertEquals(new CloseStatus(3005, "bye now"), c.awaitClose(WAIT));
            WebSocketClosedException e = assertThrows(WebSocketClosedException.class, () -> c.writeStringMessage("x"));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void vanishedPeerReportsAbnormalClosureOnce() throws Exception {
        startServer(CommunicatorConfig.DEFAULT, 0);
        RawClient client = RawClient.upgrade(server.port(), "/");
        QueuedCommunicator c = communicators.next();
        EventRecorder<CloseStatus> closes = new EventRecorder<>("onClose call");
        AtomicReference<Integer> portSeenInListener = new AtomicReference<>();
        c.setOnClose((comm, status) -> {
            portSeenInListener.set(comm.remoteAddress().getPort());
            closes.record(status);
        });
        int clientPort = client.socket().getLocalPort();

        client.reset();

        assertEquals(1006, closes.next().code()); // onClose fires after a TCP reset
        assertEquals(clientPort, portSeenInListener.get());
        assertFalse(c.isOpen());
        WebSocketClosedException e = assertThrows(WebSocketClosedException.class, () -> c.writeStringMessage("x"));
        assertTrue(e.getMessage().contains(String.valueOf(clientPort)), e.getMessage());
        closes.assertExhausted(); // no second onClose
    }

    @Test
    void writingOnTheEventLoopIsRefusedWithAClearException() throws Exception {
        startServer(CommunicatorConfig.DEFAULT, 0);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            QueuedCommunicator c = communicators.next();
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
        startServer(settings, 8192);
        try (RawClient client = RawClient.connect(server.port(), s -> setReceiveBuffer(s, 8192))
                .upgrade("localhost", "/")) {
            QueuedCommunicator c = communicators.next();
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
        startServer(CommunicatorConfig.DEFAULT, 8192);
        try (RawClient client = RawClient.connect(server.port(), s -> setReceiveBuffer(s, 8192))
                .upgrade("localhost", "/")) {
            QueuedCommunicator c = communicators.next();
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
                WireFrame f = client.readFrame();
                assertEquals((byte) i, f.payload()[0], "message " + i + " out of order");
            }
            writer.join(WAIT.toMillis());
            assertFalse(writer.isAlive());
        }
    }

    @Test
    void attachOffTheEventLoopIsRefused() throws Exception {
        startServer(CommunicatorConfig.DEFAULT, 0);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            Channel channel = communicators.next().unwrap(Channel.class);
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
