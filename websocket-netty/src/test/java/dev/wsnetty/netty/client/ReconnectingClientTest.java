package dev.wsnetty.netty.client;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReconnectingClient} and its communicator over real loopback sockets: servers that drop TCP in the middle
 * of a message, never answer the upgrade, restart on the same port, close with a code or refuse with a status the
 * policy names; cancelling while waiting and while connecting; writes during an outage. The waits are the
 * policy's (tens of milliseconds); the test waits for events, each with a deadline, and asserts the delays the
 * policy computed (jitter 0), never how long anything took.
 */
class ReconnectingClientTest {
    private static final Duration WAIT = Await.DEADLINE;
    /** 20 ms, 40 ms, 80 ms ... up to 200 ms, without jitter. */
    private static final ReconnectPolicy FAST = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20))
            .maxDelay(Duration.ofMillis(200)).jitter(0).build();

    record Connected(int attempts, int connections) {
    }

    /** A scheduled attempt: what happened (close code or handshake status, or the error's type), number, wait. */
    record Scheduled(String what, int attempt, Duration delay) {
    }

    record Stopped(String last, String why, int attempts) {
    }

    @RegisterExtension
    final EventRecorder<Object> events = new EventRecorder<>("reconnect event");
    @RegisterExtension
    final EventRecorder<Integer> hooks = new EventRecorder<>("hook call");

    private static String what(Disconnection d) {
        if (d == null) {
            return null;
        }
        switch (d.kind()) {
            case CLOSED:
                return "closed " + d.closeStatus().orElseThrow().code();
            case REFUSED:
                return "refused " + d.handshakeStatus().orElseThrow();
            default:
                return "failed " + d.error().orElseThrow().getClass().getSimpleName();
        }
    }

    private ReconnectingClient reconnecting(WebSocketClient client, ReconnectPolicy policy) {
        ReconnectingClient rc = new ReconnectingClient(client, policy);
        rc.setListener(new ReconnectListener() {
            @Override
            public void onConnected(Communicator connection, int attempts, int connections) {
                events.record(new Connected(attempts, connections));
            }

            @Override
            public void onReconnectScheduled(Disconnection reason, int attempt, Duration delay) {
                events.record(new Scheduled(what(reason), attempt, delay));
            }

            @Override
            public void onStopped(Disconnection last, String why, int attempts) {
                events.record(new Stopped(what(last), why, attempts));
            }
        });
        return rc;
    }

    /** The first connection gets a whole message and then half of one before TCP closes; the others stay. */
    private static ScriptedServer dropsTheFirstConnectionMidMessage() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        return ScriptedServer.start(ex -> {
            int n = connections.incrementAndGet();
            ex.send(ex.switching());
            if (n == 1) {
                // A text frame announcing 100 bytes with 10 of them sent; returning closes TCP.
                ex.send(Frames.server(Frames.TEXT, bytes("before the drop")),
                        Frames.frame(Frames.TEXT, 7, 100, bytes("only ten b"), false, 0));
            } else {
                ex.send(Frames.server(Frames.TEXT, bytes("welcome " + n)));
                ex.answerClose();
            }
        });
    }

    @Test
    void aPlainClientSeesTheDropMidMessageAs1006() throws Exception {
        try (ScriptedServer server = dropsTheFirstConnectionMidMessage()) {
            Communicator plain = new WebSocketClient("127.0.0.1", server.port()).connectOrThrow();
            assertEquals("before the drop", plain.waitForStringMessage(WAIT).data());
            CloseStatus status = plain.awaitClose(WAIT);
            assertEquals(1006, status.code(), status.toString());
            assertNull(plain.waitForStringMessage(), "the cut message is never delivered");
            server.takeRequest();
        }
    }

    @Test
    void aDropMidMessageIsReconnectedAndWhatArrivedBeforeIsReadFirst() throws Exception {
        try (ScriptedServer server = dropsTheFirstConnectionMidMessage()) {
            ReconnectingClient rc = reconnecting(new WebSocketClient("127.0.0.1", server.port()), FAST);
            rc.setHook((connection, n) -> hooks.record(n));
            ReconnectingCommunicator c = rc.start();

            events.assertNext(new Connected(1, 1), new Scheduled("closed 1006", 1, Duration.ofMillis(20)),
                    new Connected(1, 2));
            hooks.assertNext(1, 2);
            assertEquals("before the drop", c.waitForStringMessage(WAIT).data());
            assertEquals("welcome 2", c.waitForStringMessage(WAIT).data());
            assertTrue(c.isOpen());

            c.close();
            assertEquals(1000, c.awaitClose(WAIT).code());
            events.assertNext(new Stopped(null, "stopped by the application", 0));
            assertFalse(c.isOpen());
            server.takeRequest();
            server.takeRequest();
        }
    }

    /** Listener dispatch set before the start carries over: the listener drains both connections, in order. */
    @Test
    void theMessageListenerCarriesOverToTheNextConnection() throws Exception {
        try (ScriptedServer server = dropsTheFirstConnectionMidMessage()) {
            ReconnectingClient rc = reconnecting(new WebSocketClient("127.0.0.1", server.port()), FAST);
            ReconnectingCommunicator c = rc.communicator();
            EventRecorder<String> received = new EventRecorder<>("message");
            c.setOnReceiveMessage(communicator -> {
                assertTrue(communicator == c, "called with the reconnecting communicator");
                List<WebSocketMessage> messages = new ArrayList<>();
                communicator.getUnprocessedMessages(messages);
                messages.forEach(m -> received.record(((StringMessage) m).data()));
            });
            c.startReceiveMessageThread();
            rc.start();
            received.assertNext("before the drop", "welcome 2");
            events.assertNext(new Connected(1, 1), new Scheduled("closed 1006", 1, Duration.ofMillis(20)),
                    new Connected(1, 2));
            assertTrue(c.isReceiveMessageThreadRunning());
            c.close();
            assertEquals(1000, c.awaitClose(WAIT).code());
            events.assertNext(new Stopped(null, "stopped by the application", 0));
            assertFalse(c.isReceiveMessageThreadRunning());
            received.assertExhausted();
            server.takeRequest();
            server.takeRequest();
        }
    }

    /** Handshake timeouts, retried after 20 then 40 ms, until the third attempt, the last the policy allows. */
    @Test
    void aServerThatNeverAnswersTimesOutAndIsRetriedWithBackoff() throws Exception {
        try (ScriptedServer silent = ScriptedServer.start(ScriptedServer.Exchange::awaitClientClose)) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", silent.port());
            client.setHandshakeTimeout(Duration.ofMillis(200));
            ReconnectingClient rc = reconnecting(client, FAST.toBuilder().maxAttempts(3).build());
            ReconnectingCommunicator c = rc.start();

            WebSocketReconnectingException early = assertThrows(WebSocketReconnectingException.class,
                    () -> c.writeStringMessage("too early"));
            assertTrue(early.getMessage().startsWith("not sent: the connection to ws://127.0.0.1:" + silent.port()
                    + "/ is not open yet"), early.getMessage());

            events.assertNext(new Scheduled("failed WebSocketHandshakeTimeoutException", 2, Duration.ofMillis(20)),
                    new Scheduled("failed WebSocketHandshakeTimeoutException", 3, Duration.ofMillis(40)),
                    new Stopped("failed WebSocketHandshakeTimeoutException",
                            "3 attempts in a row failed, the most the policy allows", 3));
            CloseStatus end = c.awaitClose(WAIT);
            assertEquals(CloseStatus.abnormal("3 attempts in a row failed, the most the policy allows"), end);
            for (int i = 0; i < 3; i++) {
                silent.takeRequest();
            }
            WebSocketClosedException late = assertThrows(WebSocketClosedException.class,
                    () -> c.writeStringMessage("too late"));
            assertFalse(late instanceof WebSocketReconnectingException);
            assertTrue(late.getMessage().startsWith("not sent: the connection to ws://127.0.0.1:" + silent.port()
                    + "/ is closed, 3 attempts in a row failed"), late.getMessage());
        }
    }

    /**
     * Our server stops (Close 1001) and a new one starts on the same port: the client reconnects, the hook
     * subscribes again on each connection, and writes in between throw.
     */
    @Test
    void afterTheServerRestartsOnTheSamePortTheHookRunsAgain() throws Exception {
        WebSocketServer first = echoServer(0);
        int port = first.port();
        WebSocketServer second = null;
        try {
            ReconnectingClient rc = reconnecting(new WebSocketClient("127.0.0.1", port), FAST);
            rc.setHook((connection, n) -> {
                hooks.record(n);
                connection.writeStringMessage("subscribe " + n);
            });
            ReconnectingCommunicator c = rc.start();
            events.assertNext(new Connected(1, 1));
            hooks.assertNext(1);
            assertEquals("subscribe 1", c.waitForStringMessage(WAIT).data());
            c.writeStringMessage("one");
            assertEquals("one", c.waitForStringMessage(WAIT).data());

            first.stop();
            assertEquals(new Scheduled("closed 1001", 1, Duration.ofMillis(20)), events.next());
            WebSocketReconnectingException down = assertThrows(WebSocketReconnectingException.class,
                    () -> c.writeStringMessage("lost"));
            // Attempts may have failed meanwhile (then the message says how); the last close is always there.
            assertTrue(down.getMessage().startsWith("not sent: the connection to ws://127.0.0.1:" + port
                    + "/ is down"), down.getMessage());
            assertTrue(down.getMessage().contains(", reconnecting: attempt "), down.getMessage());
            assertTrue(down.getMessage().endsWith("(code 1001 \"Server shutting down\")"), down.getMessage());
            assertEquals(1001, down.closeStatus().code());

            second = echoServer(port);
            Object event;
            int refused = 0;
            while ((event = events.next()) instanceof Scheduled) {
                refused++;
                assertEquals(new Scheduled("failed WebSocketConnectException", refused + 1,
                        FAST.delay(refused + 1, new Random(0))), event);
            }
            assertEquals(new Connected(refused + 1, 2), event);
            hooks.assertNext(2);
            assertEquals("subscribe 2", c.waitForStringMessage(WAIT).data());
            c.writeStringMessage("two");
            assertEquals("two", c.waitForStringMessage(WAIT).data());
            assertEquals(2, rc.connections());

            c.close(4000, "done");
            assertEquals(4000, c.awaitClose(WAIT).code(), "the server's answer to the client's Close 4000");
            events.assertNext(new Stopped(null, "stopped by the application", 0));
        } finally {
            first.stop();
            if (second != null) {
                second.stop();
            }
        }
    }

    @Test
    void aCloseCodeThePolicyNamesStopsIt() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching());
            ex.send(Frames.serverClose(1008, "go away"));
            ex.awaitClientClose();
        })) {
            ReconnectingClient rc = reconnecting(new WebSocketClient("127.0.0.1", server.port()),
                    FAST.toBuilder().stopOnCloseCodes(1008).build());
            EventRecorder<CloseStatus> closes = new EventRecorder<>("close");
            rc.communicator().setOnClose((communicator, status) -> closes.record(status));
            ReconnectingCommunicator c = rc.start();

            events.assertNext(new Connected(1, 1),
                    new Stopped("closed 1008", "close code 1008 is one the policy stops on", 0));
            assertEquals(new CloseStatus(1008, "go away"), c.awaitClose(WAIT));
            closes.assertNext(new CloseStatus(1008, "go away"));
            WebSocketClosedException e = assertThrows(WebSocketClosedException.class, () -> c.writeStringMessage("x"));
            assertFalse(e instanceof WebSocketReconnectingException);
            assertTrue(rc.isStopped());
            assertNull(c.waitForStringMessage(), "nothing more to read once stopped");
            server.takeRequest();
            closes.assertExhausted();
        }
    }

    /** 503 is retried (it is not named); 403 then stops it. */
    @Test
    void aHandshakeStatusThePolicyNamesStopsIt() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            int status = connections.incrementAndGet() == 1 ? 503 : 403;
            ex.send("HTTP/1.1 " + status + " No\r\nContent-Length: 0\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ReconnectingClient rc = reconnecting(new WebSocketClient("127.0.0.1", server.port()),
                    FAST.toBuilder().stopOnHandshakeStatuses(400, 499).build());
            ReconnectingCommunicator c = rc.start();
            events.assertNext(new Scheduled("refused 503", 2, Duration.ofMillis(20)),
                    new Stopped("refused 403", "handshake status 403 is one the policy stops on", 2));
            assertEquals(CloseStatus.abnormal("handshake status 403 is one the policy stops on"), c.awaitClose(WAIT));
            server.takeRequest();
            server.takeRequest();
        }
    }

    /** Nothing listens: the second attempt waits an hour, and stopping ends the wait at once. */
    @Test
    void stoppingDuringTheWaitCancelsTheNextAttempt() throws Exception {
        int port = closedPort();
        ReconnectingClient rc = reconnecting(new WebSocketClient("127.0.0.1", port),
                ReconnectPolicy.builder().initialDelay(Duration.ofHours(1)).maxDelay(Duration.ofHours(1)).jitter(0)
                        .build());
        ReconnectingCommunicator c = rc.start();
        events.assertNext(new Scheduled("failed WebSocketConnectException", 2, Duration.ofHours(1)));
        WebSocketReconnectingException waiting = assertThrows(WebSocketReconnectingException.class,
                () -> c.writeStringMessage("x"));
        assertTrue(waiting.getMessage().contains(" is not open yet (failed: cannot connect to 127.0.0.1:" + port),
                waiting.getMessage());
        assertTrue(waiting.getMessage().contains("connecting: attempt 2 in "), waiting.getMessage());
        assertFalse(c.awaitConnected(Duration.ZERO));

        c.close();
        events.assertNext(new Stopped("failed WebSocketConnectException", "stopped by the application", 2));
        assertEquals(CloseStatus.abnormal("stopped by the application"), c.awaitClose(WAIT));
        assertTrue(rc.isStopped());
        assertFalse(c.awaitConnected(WAIT), "stopped: never connects");
        assertNull(c.waitForStringMessage(WAIT));
        c.close(); // again: nothing
    }

    /** The server got the request and stays silent; stopping abandons the attempt and closes its connection. */
    @Test
    void stoppingDuringAnAttemptAbandonsIt() throws Exception {
        try (ScriptedServer silent = ScriptedServer.start(ScriptedServer.Exchange::awaitClientClose)) {
            ReconnectingClient rc = reconnecting(new WebSocketClient("127.0.0.1", silent.port()), FAST);
            ReconnectingCommunicator c = rc.start();
            silent.takeRequest();
            rc.stop();
            events.assertNext(new Stopped(null, "stopped by the application", 1));
            assertEquals(CloseStatus.abnormal("stopped by the application"), c.awaitClose(WAIT));
            assertThrows(IllegalStateException.class, rc::start);
        }
    }

    /** A hook that throws fails the attempt: its connection is closed with 1011 and the next one is tried. */
    @Test
    void aFailingHookFailsTheAttempt() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        EventRecorder<Integer> serverCloses = new EventRecorder<>("close code at the server");
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            connections.incrementAndGet();
            ex.send(ex.switching());
            byte[] close = ex.readFrame().payload();
            serverCloses.record(((close[0] & 0xFF) << 8) | (close[1] & 0xFF));
            ex.send(Frames.server(Frames.CLOSE, close));
        })) {
            ReconnectingClient rc = reconnecting(new WebSocketClient("127.0.0.1", server.port()), FAST);
            rc.setHook((connection, n) -> {
                hooks.record(n);
                if (n == 1 && connections.get() == 1) {
                    throw new IllegalStateException("not today");
                }
            });
            ReconnectingCommunicator c = rc.start();
            events.assertNext(new Scheduled("failed WebSocketException", 2, Duration.ofMillis(20)),
                    new Connected(2, 1));
            hooks.assertNext(1, 1);
            serverCloses.assertNext(1011);
            c.close();
            serverCloses.assertNext(1000);
            assertEquals(1000, c.awaitClose(WAIT).code());
            events.assertNext(new Stopped(null, "stopped by the application", 0));
            server.takeRequest();
            server.takeRequest();
        }
    }

    private static WebSocketServer echoServer(int port) {
        WebSocketServer server = new WebSocketServer("127.0.0.1", port);
        server.registerHandler("*", "*", new ThreadedWebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator communicator) {
                StringMessage m;
                while ((m = communicator.waitForStringMessage()) != null) {
                    communicator.writeStringMessage(m.data());
                }
            }
        }, true, true);
        server.bind();
        return server;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
