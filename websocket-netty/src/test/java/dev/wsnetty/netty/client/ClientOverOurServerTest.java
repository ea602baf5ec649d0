package dev.wsnetty.netty.client;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.HandshakeResponse;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.PongMessage;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every communicator feature through {@link WebSocketClient}, against our own server handshake and frame handlers. */
class ClientOverOurServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Selects "chat" or "superchat" when offered and tells its answers apart with a header. */
    private static final EchoEndpoint echo = new EchoEndpoint().subprotocol("chat").subprotocol("superchat")
            .responseHeader("X-Echo-Server", "ours");
    private static TestServer server;
    private Communicator communicator;
    private EchoEndpoint.Connection serverSide;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(echo);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() throws Exception {
        communicator = new WebSocketClient("127.0.0.1", server.port(), "/echo").connect();
        assertNotNull(communicator, "our server refused the handshake");
        serverSide = echo.nextConnection();
    }

    @AfterEach
    void disconnect() {
        communicator.close();
        assertNotNull(communicator.awaitClose(WAIT), "connection did not close");
    }

    @Test
    void stringMessagesMakeTheRoundTrip() {
        communicator.writeStringMessage("hello server");
        communicator.writeStringMessage("gr\u00fc\u00dfe \u2603 \ud83d\ude00");
        assertEquals("hello server", communicator.waitForStringMessage(WAIT).data());
        assertEquals("gr\u00fc\u00dfe \u2603 \ud83d\ude00", communicator.waitForStringMessage(WAIT).data());
    }

    @Test
    void binaryMessagesMakeTheRoundTrip() {
        byte[] data = new byte[70_000];
        new Random(1).nextBytes(data);
        communicator.writeBinaryMessage(data);
        communicator.writeBinaryMessage(new byte[0]);
        assertArrayEquals(data, communicator.waitForBinaryMessage(WAIT).data());
        assertArrayEquals(new byte[0], communicator.waitForBinaryMessage(WAIT).data());
    }

    @Test
    void streamedMessageGoesOutInFramesAndComesBackWhole() {
        try (MessageOutputStream out = communicator.writeMessage(MessageType.STRING, 10)) {
            out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
            out.write("abcdefghij".getBytes(StandardCharsets.US_ASCII));
            out.write("xyz".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("0123456789abcdefghijxyz", communicator.waitForStringMessage(WAIT).data());
        // 10 + 10 bytes went out as full frames when more arrived, the last 3 with FIN on close.
        assertEquals(3, serverSide.messages().next().frames());
    }

    @Test
    void largeStreamedBinaryMessageComesBackWhole() {
        byte[] data = new byte[300_000];
        new Random(2).nextBytes(data);
        try (MessageOutputStream out = communicator.writeMessage(MessageType.BINARY)) {
            for (int off = 0; off < data.length; off += 7_000) {
                out.write(data, off, Math.min(7_000, data.length - off));
            }
        }
        // (The server's decoder passes frames this large on in pieces, so it cannot count them.)
        assertArrayEquals(data, communicator.waitForBinaryMessage(WAIT).data());
    }

    @Test
    void fragmentedMessageFromTheServerArrivesWhole() {
        Channel channel = serverSide.channel();
        channel.write(WebSocketFrame.text(Unpooled.copiedBuffer("one ", StandardCharsets.UTF_8), false));
        channel.write(WebSocketFrame.continuation(Unpooled.copiedBuffer("message ", StandardCharsets.UTF_8), false));
        channel.write(WebSocketFrame.continuation(Unpooled.copiedBuffer("in four ", StandardCharsets.UTF_8), false));
        channel.writeAndFlush(
                WebSocketFrame.continuation(Unpooled.copiedBuffer("frames", StandardCharsets.UTF_8), true));
        assertEquals("one message in four frames", communicator.waitForStringMessage(WAIT).data());
    }

    @Test
    void receiveQueueOperations() {
        communicator.writeStringMessage("first");
        communicator.writeBinaryMessage(new byte[] {1, 2});
        communicator.writeStringMessage("second");
        communicator.ping("p");
        // The server answers in order, so once the pong is here the three echoes are queued before it.
        assertEquals("p", communicator.waitForPongMessage(WAIT).asString());
        assertTrue(communicator.hasMessages());
        // Each wait takes only its kind and leaves the others queued, in order.
        assertArrayEquals(new byte[] {1, 2}, communicator.waitForBinaryMessage(WAIT).data());
        assertEquals("first", ((StringMessage) communicator.receiveMessage()).data());
        List<WebSocketMessage> rest = new ArrayList<>();
        assertEquals(1, communicator.getUnprocessedMessages(rest));
        assertEquals(List.of(new StringMessage("second")), rest);
        assertFalse(communicator.hasMessages());
        assertNull(communicator.waitForMessage(EnumSet.of(MessageType.STRING), Duration.ofMillis(50)));
    }

    @Test
    void pingIsAnsweredWithAPongCarryingThePayload() {
        communicator.ping("are you there?");
        PongMessage pong = communicator.waitForPongMessage(WAIT);
        assertNotNull(pong);
        assertEquals("are you there?", pong.asString());
    }

    @Test
    void serverPingIsAnsweredByTheClient() {
        serverSide.channel().writeAndFlush(
                WebSocketFrame.ping(Unpooled.copiedBuffer("from server", StandardCharsets.UTF_8)));
        assertEquals("from server", new String(serverSide.pongs().next(), StandardCharsets.UTF_8));
    }

    @Test
    void listenerDispatchDeliversMessages() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        communicator.setOnReceiveMessage(c -> {
            List<WebSocketMessage> batch = new ArrayList<>();
            c.getUnprocessedMessages(batch);
            for (WebSocketMessage m : batch) {
                received.add(((StringMessage) m).data());
                three.countDown();
            }
        });
        communicator.startReceiveMessageThread();
        assertTrue(communicator.isReceiveMessageThreadRunning());
        communicator.writeStringMessage("a");
        communicator.writeStringMessage("b");
        communicator.writeStringMessage("c");
        assertTrue(three.await(WAIT.toSeconds(), TimeUnit.SECONDS), "listener got " + received);
        assertEquals(List.of("a", "b", "c"), received);
        communicator.stopReceiveMessageThread();
        assertFalse(communicator.isReceiveMessageThreadRunning());
    }

    @Test
    void clientCloseWithCodeAndReasonReachesTheServerAndOnCloseFiresOnce() throws Exception {
        EventRecorder<CloseStatus> closes = new EventRecorder<>("onClose call");
        communicator.setOnClose((c, status) -> closes.record(status));
        communicator.close(4000, "client says bye");
        assertFalse(communicator.isOpen());
        assertThrows(WebSocketClosedException.class, () -> communicator.writeStringMessage("too late"));

        WebSocketCloseEvent atServer = serverSide.closeEvents().next();
        assertEquals(4000, atServer.code());
        assertEquals("client says bye", atServer.reason());
        assertTrue(atServer.isRemote());
        assertTrue(atServer.isClean());

        // The status is the server's answering Close frame: our protocol handler echoes the code only.
        CloseStatus status = communicator.awaitClose(WAIT);
        assertEquals(new CloseStatus(4000, ""), status);
        closes.assertNext(status);
        communicator.close(); // a second close does nothing
        closes.assertExhausted();
    }

    @Test
    void serverCloseWithCodeAndReasonIsReportedOnce() throws Exception {
        EventRecorder<CloseStatus> closes = new EventRecorder<>("onClose call");
        communicator.setOnClose((c, status) -> closes.record(status));
        communicator.writeStringMessage("queued before the close");
        assertEquals("queued before the close", serverSide.messages().next().text()); // echoed before the Close
        serverSide.channel().writeAndFlush(WebSocketFrame.close(4001, "server says bye"));

        assertEquals(new CloseStatus(4001, "server says bye"), communicator.awaitClose(WAIT));
        closes.assertNext(new CloseStatus(4001, "server says bye"));
        assertFalse(communicator.isOpen());
        assertEquals(new CloseStatus(4001, "server says bye"), communicator.closeStatus());
        // Messages that arrived before the close stay readable; then the queue reports the end.
        assertEquals("queued before the close", communicator.waitForStringMessage(WAIT).data());
        assertNull(communicator.receiveMessage());
        assertThrows(WebSocketClosedException.class, () -> communicator.writeStringMessage("too late"));

        WebSocketCloseEvent atServer = serverSide.closeEvents().next();
        assertFalse(atServer.isRemote());
        assertTrue(atServer.isClean(), atServer.toString());
        closes.assertExhausted();
    }

    @Test
    void addressesAndChannelAreExposed() {
        assertEquals(server.port(), communicator.remoteAddress().getPort());
        assertEquals(serverSide.channel().remoteAddress(), communicator.localAddress());
        Channel channel = communicator.unwrap(Channel.class);
        assertTrue(channel.isActive());
        assertFalse(channel.eventLoop().inEventLoop());
    }

    @Test
    void concurrentWritersKeepEveryMessageWhole() throws Exception {
        int threads = 4;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        try (MessageOutputStream out = communicator.writeMessage(MessageType.STRING, 3)) {
                            out.write(("w" + id + "-" + i + "-" + "x".repeat(20)).getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                }));
            }
            for (Future<?> w : writers) {
                w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> received = new HashSet<>();
        for (int i = 0; i < threads * perThread; i++) {
            StringMessage m = communicator.waitForStringMessage(WAIT);
            assertNotNull(m, "only " + i + " messages came back");
            assertTrue(m.data().matches("w\\d-\\d+-x{20}"), m.data());
            received.add(m.data());
        }
        assertEquals(threads * perThread, received.size());
    }

    @Test
    void subprotocolAndHandshakeHeadersReachTheSuccessListener() throws Exception {
        WebSocketClient client = new WebSocketClient("127.0.0.1", server.port(), "/chat?room=1");
        client.setSubprotocols("superchat", "chat");
        client.customHeaders().put("X-Token", "abc");
        AtomicReference<HandshakeResponse> success = new AtomicReference<>();
        client.setOnHandshakeSuccess((c, response) -> {
            assertSame(client, c);
            success.set(response);
        });
        client.setOnHandshakeFailure((c, response) -> {
            throw new AssertionError("failure listener called: " + response);
        });
        Communicator second = client.connect();
        try {
            EchoEndpoint.Connection other = echo.nextConnection();
            assertEquals("/chat?room=1", other.request().path());
            assertEquals("abc", other.request().header("x-token"));
            HandshakeResponse response = success.get();
            assertEquals(101, response.statusCode());
            assertEquals("Switching Protocols", response.reasonPhrase());
            assertEquals("superchat", response.header("sec-websocket-protocol"));
            assertEquals("ours", response.header("X-ECHO-SERVER"));
            assertEquals("", response.body());
            second.writeStringMessage("on the second connection");
            assertEquals("on the second connection", second.waitForStringMessage(WAIT).data());
        } finally {
            second.close();
            assertNotNull(second.awaitClose(WAIT));
        }
    }

    @Test
    void messagesQueuedWhenTheServerVanishesAreKeptAndCloseIsAbnormal() {
        communicator.writeStringMessage("last words");
        assertEquals("last words", communicator.waitForStringMessage(WAIT).data());
        // Gone without a Close frame, as when the server process dies.
        Channel channel = serverSide.channel();
        channel.eventLoop().execute(() -> channel.unsafe().closeForcibly());
        CloseStatus status = communicator.awaitClose(WAIT);
        assertNotNull(status);
        assertEquals(1006, status.code());
        assertEquals(status, communicator.closeStatus());
        assertNull(communicator.receiveMessage());
    }

    @Test
    void waitForMessageTakesAnyKindInOrder() {
        communicator.writeStringMessage("s");
        communicator.writeBinaryMessage(new byte[] {9});
        communicator.ping("p");
        assertInstanceOf(StringMessage.class, communicator.waitForMessage());
        assertInstanceOf(BinaryMessage.class, communicator.waitForMessage());
        assertInstanceOf(PongMessage.class, communicator.waitForMessage());
    }
}
