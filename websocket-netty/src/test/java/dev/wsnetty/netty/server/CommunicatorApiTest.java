package dev.wsnetty.netty.server;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.PongMessage;
import dev.wsnetty.StringMessage;
import dev.wsnetty.UnsupportedMessageTypeException;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.channel.Channel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every communicator method of the README, over a real connection to a {@link WebSocketServer}, with a raw
 * client on the wire; each test runs with both accepting methods and both handler kinds.
 */
class CommunicatorApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(50);

    /** The server under test with this accepting method and a handler of this kind that waits for the close. */
    private static WebSocketServerFixture start(AcceptingMethod method, HandlerKind kind) {
        return WebSocketServerFixture.builder().kind(kind).configure(server -> server.setAcceptingMethod(method))
                .start();
    }

    @AllModes
    void receiveMessageTakesTheFirstDataMessageAndLeavesPongsQueued(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            client.sendFrame(0xA, true, bytes("p"));
            client.sendText("a");

            assertEquals(new StringMessage("a"), c.receiveMessage());
            List<WebSocketMessage> rest = new ArrayList<>();
            assertEquals(1, c.getUnprocessedMessages(rest));
            assertEquals(List.of(new PongMessage(bytes("p"))), rest);

            client.sendClose(1000, "");
            assertNull(c.receiveMessage(), "receiveMessage returns null once the connection closed");
        }
    }

    @AllModes
    void hasMessagesAndGetUnprocessedMessagesKeepArrivalOrder(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            assertFalse(c.hasMessages());
            client.sendText("1");
            client.sendBinary(new byte[] {2});
            client.sendText("3");
            client.sendFrame(0xA, true, bytes("end"));
            assertEquals(new PongMessage(bytes("end")), c.waitForPongMessage(WAIT));

            assertTrue(c.hasMessages());
            List<WebSocketMessage> into = new ArrayList<>();
            assertEquals(3, c.getUnprocessedMessages(into));
            assertEquals(List.of(new StringMessage("1"), new BinaryMessage(new byte[] {2}), new StringMessage("3")),
                    into);
            assertFalse(c.hasMessages());
            assertEquals(0, c.getUnprocessedMessages(into));
        }
    }

    @AllModes
    void waitForMessageTakesOnlyTheMatchAndKeepsTheRestInOrder(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            client.sendText("a");
            client.sendText("b");
            client.sendBinary(new byte[] {9});
            client.sendText("c");
            client.sendFrame(0xA, true, bytes("pong"));

            // The original raised "List index out of bounds" or lost messages here (B9).
            assertEquals(new BinaryMessage(new byte[] {9}), c.waitForBinaryMessage());
            assertEquals(new PongMessage(bytes("pong")), c.waitForPongMessage());
            assertEquals(new StringMessage("a"), c.waitForMessage(EnumSet.of(MessageType.STRING)));
            assertEquals(new StringMessage("b"), c.waitForStringMessage());
            assertEquals(new StringMessage("c"), c.waitForMessage());
            assertFalse(c.hasMessages());
            assertThrows(UnsupportedMessageTypeException.class, () -> c.waitForMessage(EnumSet.of(MessageType.PING)));
        }
    }

    @AllModes
    void timedWaitsReturnNullWhenNothingArrivesAndTheMessageWhenItDoes(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            assertNull(c.waitForStringMessage(SHORT));
            assertNull(c.waitForBinaryMessage(SHORT));
            assertNull(c.waitForPongMessage(SHORT));
            assertNull(c.waitForMessage(Communicator.DEFAULT_MESSAGE_TYPES, SHORT));

            CompletableFuture<StringMessage> waiting = CompletableFuture.supplyAsync(() -> c.waitForStringMessage(WAIT));
            client.sendBinary(new byte[] {1});
            client.sendText("late");
            assertEquals(new StringMessage("late"), waiting.get(10, TimeUnit.SECONDS));
            assertEquals(new BinaryMessage(new byte[] {1}), c.waitForMessage(EnumSet.of(MessageType.BINARY), WAIT));

            CompletableFuture<StringMessage> untilClosed = CompletableFuture.supplyAsync(c::waitForStringMessage);
            client.sendClose(1000, "");
            assertNull(untilClosed.get(10, TimeUnit.SECONDS), "an untimed wait returns null when the connection closes");
        }
    }

    @AllModes
    void controlFrameInsideAFragmentedMessageDoesNotBreakIt(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            client.sendFrame(0x1, false, bytes("ab"));
            client.sendFrame(0x9, true, bytes("ping"));
            client.sendFrame(0x0, false, bytes("cd"));
            client.sendFrame(0xA, true, bytes("pong"));
            client.sendFrame(0x0, true, bytes("ef"));

            WireFrame pong = client.readFrame();
            assertEquals(0xA, pong.opcode());
            assertEquals("ping", pong.text());
            assertEquals(new StringMessage("abcdef"), c.waitForStringMessage(WAIT));
            assertEquals(new PongMessage(bytes("pong")), c.waitForPongMessage(WAIT));
        }
    }

    @AllModes
    void pingCarriesItsPayloadAndThePongArrivesInTheQueue(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            c.ping("are you there");
            WireFrame ping = client.readFrame();
            assertEquals(0x9, ping.opcode());
            assertEquals("are you there", ping.text());
            client.sendFrame(0xA, true, ping.payload());
            assertEquals("are you there", c.waitForPongMessage(WAIT).asString());

            try (MessageOutputStream out = c.writeMessage(MessageType.PING)) {
                out.write(bytes("streamed ping"));
            }
            assertFrame(client.readFrame(), 0x9, true, bytes("streamed ping"));

            c.ping(new byte[125]);
            assertEquals(125, client.readFrame().payload().length);
            assertThrows(IllegalArgumentException.class, () -> c.ping(new byte[126]));
        }
    }

    @AllModes
    void singleFrameWritesOfEveryKind(AcceptingMethod method, HandlerKind kind) throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            c.writeStringMessage("héllo");
            c.writeBinaryMessage(new byte[] {1, 2, 3});
            c.writeStringMessage("");
            c.writeBinaryMessage(new byte[0]);
            c.writeRawMessage(new byte[] {0, 1, 2, 3, 4, 5}, 2, 3, MessageType.BINARY);
            c.writeRawMessage(bytes("raw text"), 0, 8, MessageType.STRING);

            assertFrame(client.readFrame(), 0x1, true, bytes("héllo"));
            assertFrame(client.readFrame(), 0x2, true, new byte[] {1, 2, 3});
            assertFrame(client.readFrame(), 0x1, true, new byte[0]);
            assertFrame(client.readFrame(), 0x2, true, new byte[0]);
            assertFrame(client.readFrame(), 0x2, true, new byte[] {2, 3, 4});
            assertFrame(client.readFrame(), 0x1, true, bytes("raw text"));
        }
    }

    @AllModes
    void writeMessageSendsContinuationFramesWithControlFramesBetween(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            try (MessageOutputStream out = c.writeMessage(MessageType.STRING, 5)) {
                out.write(bytes("hello "));
                c.ping("x");
                out.write(bytes("world"));
            }
            try (MessageOutputStream out = c.writeMessage()) {
                out.write(bytes("whole"));
            }

            // The original kept the first opcode on every fragment (B1).
            assertFrame(client.readFrame(), 0x1, false, bytes("hello"));
            assertFrame(client.readFrame(), 0x9, true, bytes("x"));
            assertFrame(client.readFrame(), 0x0, false, bytes(" worl"));
            assertFrame(client.readFrame(), 0x0, true, bytes("d"));
            assertFrame(client.readFrame(), 0x1, true, bytes("whole"));
        }
    }

    @AllModes
    void closeSendsNormalClosureAndEndsTheConnection(AcceptingMethod method, HandlerKind kind) throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            assertTrue(c.isOpen());
            c.close();
            assertFalse(c.isOpen());
            WireFrame close = client.readFrame();
            assertEquals(1000, close.closeCode());
            client.sendClose(1000, "");
            client.expectEndOfStream();
            assertEquals(CloseStatus.NORMAL, c.awaitClose(WAIT));
        }
    }

    @AllModes
    void closeWithCodeAndReasonThenWritesFail(AcceptingMethod method, HandlerKind kind) throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            assertThrows(IllegalArgumentException.class, () -> c.close(1005, "never on the wire"));
            c.close(4000, "bye");
            WireFrame close = client.readFrame();
            assertEquals(4000, close.closeCode());
            assertEquals("bye", close.closeReason());
            WebSocketClosedException e = assertThrows(WebSocketClosedException.class, () -> c.writeStringMessage("x"));
            assertTrue(e.getMessage().contains("Close"), e.getMessage());
            c.close(4001, "ignored: already closing");
            client.sendClose(4000, "");
            client.expectEndOfStream();
            assertEquals(4000, c.awaitClose(WAIT).code());
        }
    }

    @AllModes
    void peersCloseCodeIsEchoedAndReported(AcceptingMethod method, HandlerKind kind) throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            client.sendClose(3001, "going");
            // The original answered with an empty Close and dropped code and reason (B5).
            WireFrame echo = client.readFrame();
            assertEquals(3001, echo.closeCode());
            client.expectEndOfStream();
            assertEquals(new CloseStatus(3001, "going"), c.awaitClose(WAIT));
        }
    }

    @AllModes
    void addressesHaveRealPortsAndTheChannelIsReachable(AcceptingMethod method, HandlerKind kind) throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            // The original showed the port byte-swapped (B12).
            assertEquals(client.socket().getLocalPort(), c.remoteAddress().getPort());
            assertEquals(s.port(), c.localAddress().getPort());
            Channel channel = c.unwrap(Channel.class);
            assertEquals(c.remoteAddress(), channel.remoteAddress());
            assertSame(c, c.unwrap(Communicator.class));
        }
    }

    @AllModes
    void receiveThreadSwitchesListenerDispatchOnAndOffAtOnce(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            Channel channel = c.unwrap(Channel.class);
            BlockingQueue<WebSocketMessage> received = new LinkedBlockingQueue<>();
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            c.setOnReceiveMessage(comm -> {
                calls.incrementAndGet();
                if (!comm.inReceiveMessageThread()) {
                    violations.add("inReceiveMessageThread was false inside the listener");
                }
                if (channel.eventLoop().inEventLoop()) {
                    violations.add("listener ran on the event loop");
                }
                List<WebSocketMessage> taken = new ArrayList<>();
                comm.getUnprocessedMessages(taken);
                received.addAll(taken);
            });
            // A threaded handler switches dispatch on before doHandleCommunication, as the original started its
            // receiver thread; a plain handler leaves it off.
            assertEquals(kind == HandlerKind.THREADED, c.isReceiveMessageThreadRunning());
            c.startReceiveMessageThread();
            assertTrue(c.isReceiveMessageThreadRunning());
            assertFalse(c.inReceiveMessageThread());

            client.sendText("one");
            assertEquals(new StringMessage("one"), received.poll(10, TimeUnit.SECONDS));

            // Takes effect at once, not after the next frame (B15).
            c.stopReceiveMessageThread();
            assertFalse(c.isReceiveMessageThreadRunning());
            int callsBefore = calls.get();
            client.sendText("two");
            Await.until("the message is queued", c::hasMessages);
            assertEquals(callsBefore, calls.get(), "no listener call after stopReceiveMessageThread");
            assertEquals(new StringMessage("two"), c.receiveMessage());
            assertEquals(List.of(), violations);

            c.startReceiveMessageThread();
            client.sendClose(1000, "");
            c.awaitClose(WAIT);
            assertFalse(c.isReceiveMessageThreadRunning(), "not running once the connection closed");
        }
    }

    @AllModes
    void onCloseFiresOnceOffTheEventLoopWithCodeReasonAndAddress(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind); RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            Channel channel = c.unwrap(Channel.class);
            EventRecorder<String> reports = new EventRecorder<>("onClose call");
            c.setOnClose((comm, status) -> reports.record(status.code() + " " + status.reason() + " port "
                    + comm.remoteAddress().getPort() + " open " + comm.isOpen() + " loop "
                    + channel.eventLoop().inEventLoop() + " receiveThread " + comm.inReceiveMessageThread()));
            client.sendClose(4002, "later");
            reports.assertNext("4002 later port " + client.socket().getLocalPort()
                    + " open false loop false receiveThread true");
            // finalizeCommunication ran (it closes the connection again if it can), then close once more.
            Await.until("the handler finalized the connection", () -> s.handler().connections().isEmpty());
            c.close();
            reports.assertExhausted();
        }
    }

    @AllModes
    void vanishedPeerFiresOnCloseOnceAndWritesFailClearly(AcceptingMethod method, HandlerKind kind)
            throws Exception {
        try (WebSocketServerFixture s = start(method, kind)) {
            RawClient client = RawClient.upgrade(s.port(), "/");
            Communicator c = s.next();
            EventRecorder<CloseStatus> reports = new EventRecorder<>("onClose call");
            c.setOnClose((comm, status) -> reports.record(status));
            CompletableFuture<StringMessage> waiting = CompletableFuture.supplyAsync(c::waitForStringMessage);
            int port = client.socket().getLocalPort();

            client.reset(); // TCP RST, no Close frame: the original never noticed (B3)

            assertEquals(1006, reports.next().code()); // onClose fires for a vanished peer
            assertNull(waiting.get(10, TimeUnit.SECONDS));
            // The original died of SIGPIPE here (B4).
            WebSocketClosedException e = assertThrows(WebSocketClosedException.class,
                    () -> c.writeStringMessage("anyone?"));
            assertTrue(e.getMessage().contains(":" + port), e.getMessage());
            reports.assertExhausted();

            try (RawClient next = RawClient.upgrade(s.port(), "/")) {
                Communicator other = s.next();
                other.writeStringMessage("still serving");
                assertEquals("still serving", next.readFrame().text());
            }
        }
    }

    private static void assertFrame(WireFrame frame, int opcode, boolean fin, byte[] payload) {
        assertEquals(opcode, frame.opcode(), "opcode");
        assertEquals(fin, frame.fin(), "FIN");
        assertEquals(0, frame.rsv(), "RSV");
        assertArrayEquals(payload, frame.payload(), "payload");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
