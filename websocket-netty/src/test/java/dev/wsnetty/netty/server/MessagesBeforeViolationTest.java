package dev.wsnetty.netty.server;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.HandlerThreadKind;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.MessageThenViolation;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.EventRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking API's server answers the Autobahn cases in which a valid message comes before a protocol violation
 * as the frame pipeline does (their OK verdict): the message reaches the handler and its echo goes out before the
 * Close 1002, for every kind of handler; and the Close waits for a handler that does not come back for the next
 * message only {@link WebSocketConfig#failureDrainTimeout()}. Replayed with a raw client over a real socket.
 */
class MessagesBeforeViolationTest {
    /** Long enough that a Close sent at once never takes it, even on a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(1);
    /** Room for a loaded machine between the drain timer firing and the Close arriving. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private final EventRecorder<CloseStatus> handlerSaw = new EventRecorder<>("close status the handler saw");
    private WebSocketServer server;

    /** The handlers of the blocking API, each echoing every text message until the connection ends. */
    enum Echo {
        /** A plain handler on its connection thread, in a waitForMessage loop. */
        PLAIN,
        /** A threaded handler on a pooled platform thread, in a waitForMessage loop. */
        THREADED_PLATFORM,
        /** A threaded handler on a virtual thread (Java 21+), in a waitForMessage loop. */
        THREADED_VIRTUAL,
        /** A threaded handler whose receive-message listener takes the messages; its thread awaits the close. */
        LISTENER;

        WebSocketHandler create(Consumer<Communicator> body) {
            return switch (this) {
                case PLAIN -> new WebSocketHandler() {
                    @Override
                    protected void doHandleCommunication(Communicator communicator) {
                        body.accept(communicator);
                    }
                };
                case THREADED_PLATFORM -> threaded(HandlerThreadKind.POOLED_PLATFORM, body);
                case THREADED_VIRTUAL -> threaded(HandlerThreadKind.VIRTUAL, body);
                case LISTENER -> new ThreadedWebSocketHandler(HandlerThreadKind.POOLED_PLATFORM) {
                    @Override
                    protected void prepareCommunication(Communicator communicator) {
                        super.prepareCommunication(communicator);
                        communicator.setOnReceiveMessage(c -> {
                            List<WebSocketMessage> messages = new ArrayList<>();
                            c.getUnprocessedMessages(messages);
                            messages.forEach(m -> echo(c, m));
                        });
                    }

                    @Override
                    protected void doHandleCommunication(Communicator communicator) {
                        body.accept(communicator);
                    }
                };
            };
        }

        /** What the handler's thread does: echo in a loop, or (listener) wait for the end. */
        void run(Communicator communicator) {
            if (this == LISTENER) {
                communicator.awaitClose();
                return;
            }
            WebSocketMessage message;
            while ((message = communicator.waitForMessage()) != null) {
                echo(communicator, message);
            }
        }

        private static void echo(Communicator communicator, WebSocketMessage message) {
            if (message instanceof StringMessage) {
                communicator.writeStringMessage(((StringMessage) message).data());
            }
        }

        private static WebSocketHandler threaded(HandlerThreadKind kind, Consumer<Communicator> body) {
            return new ThreadedWebSocketHandler(kind) {
                @Override
                protected void doHandleCommunication(Communicator communicator) {
                    body.accept(communicator);
                }
            };
        }
    }

    static Stream<Arguments> casesAndHandlers() {
        return MessageThenViolation.all().stream().flatMap(c -> Stream.of(Echo.values())
                .filter(e -> e != Echo.THREADED_VIRTUAL || HandlerThreadKind.VIRTUAL.isAvailable())
                .map(e -> Arguments.of(c, e)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest(name = "Autobahn {0}, {1} handler")
    @MethodSource("casesAndHandlers")
    void theMessageBeforeTheViolationIsEchoedBeforeTheClose(MessageThenViolation kase, Echo echo) throws Exception {
        start(WebSocketConfig.DEFAULT, echo.create(c -> {
            try {
                echo.run(c);
            } finally {
                handlerSaw.record(c.closeStatus());
            }
        }));
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            kase.sendTo(Role.SERVER, client::send);

            WireFrame first = client.readFrame();
            assertEquals(0x1, first.opcode(), "Autobahn " + kase + ": the echo should come first, got " + first);
            assertEquals(kase.echo(), first.text());
            WireFrame close = client.readFrame();
            assertEquals(0x8, close.opcode(), "Autobahn " + kase + ": then the Close, got " + close);
            assertEquals(1002, close.closeCode());
            client.expectEndOfStream();
            client.close(); // the server lingers until our FIN: only then does the connection end
            assertEquals(new CloseStatus(1002, close.closeReason()), handlerSaw.next());
        }
    }

    @Test
    void aHandlerThatNeverReadsGetsTheCloseAfterTheBoundNotBeforeNotMuchLater() throws Exception {
        start(WebSocketConfig.builder().failureDrainTimeout(BOUND).build(), Echo.PLAIN.create(c -> {
            handlerSaw.record(c.awaitClose());
        }));
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            long start = System.nanoTime();
            MessageThenViolation.all().get(0).sendTo(Role.SERVER, client::send);

            WireFrame close = client.readFrame();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(0x8, close.opcode(), "nothing but the Close: " + close);
            assertEquals(1002, close.closeCode());
            assertBetween(BOUND, BOUND.plus(SLACK), took);
            client.expectEndOfStream();
            client.close(); // the server lingers until our FIN: only then does the connection end
            assertEquals(new CloseStatus(1002, close.closeReason()), handlerSaw.next());
        }
    }

    @Test
    void aHandlerWithNothingQueuedAndNothingTakenGetsTheCloseAtOnce() throws Exception {
        start(WebSocketConfig.builder().failureDrainTimeout(Duration.ofHours(1)).build(), Echo.PLAIN.create(c -> {
            handlerSaw.record(c.awaitClose()); // never takes a message
        }));
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(Frames.client(0x80 | 0x20 | Frames.TEXT_FIRST, new byte[0])); // RSV2, no message before

            assertEquals(1002, client.readFrame().closeCode()); // within the read timeout, not the hour
            client.expectEndOfStream();
        }
        assertEquals(1002, handlerSaw.next().code());
    }

    @Test
    void aMessageCutByTheViolationIsNotDeliveredAndCostsNoWait() throws Exception {
        start(WebSocketConfig.builder().failureDrainTimeout(Duration.ofHours(1)).build(), Echo.PLAIN.create(c -> {
            try {
                Echo.THREADED_PLATFORM.run(c); // the echo loop: it must get no message
            } finally {
                handlerSaw.record(c.closeStatus());
            }
        }));
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(Frames.client(Frames.TEXT_FIRST, Bytes.utf8("never")),
                    Frames.client(Frames.TEXT, Bytes.utf8("finished"))); // a new message inside the first

            WireFrame close = client.readFrame(); // within the read timeout, not the hour
            assertEquals(0x8, close.opcode(), "no echo of a message that was never whole: " + close);
            assertEquals(1002, close.closeCode());
            client.expectEndOfStream();
            client.close();
            assertEquals(new CloseStatus(1002, close.closeReason()), handlerSaw.next());
        }
    }

    @Test
    void aHandlerThatAnswersButDoesNotComeBackGetsItsAnswerOutAndTheCloseAfterTheBound() throws Exception {
        CountDownLatch testDone = new CountDownLatch(1);
        start(WebSocketConfig.builder().failureDrainTimeout(BOUND).build(), Echo.PLAIN.create(c -> {
            Echo.echo(c, c.waitForMessage());
            try {
                testDone.await(); // busy elsewhere, not back for the next message
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            long start = System.nanoTime();
            MessageThenViolation.all().get(0).sendTo(Role.SERVER, client::send);

            assertEquals("Hello, world!", client.readFrame().text());
            WireFrame close = client.readFrame();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(1002, close.closeCode());
            assertBetween(BOUND, BOUND.plus(SLACK), took);
            client.expectEndOfStream();
        } finally {
            testDone.countDown();
        }
    }

    @Test
    void aHandlerThatClosesWhileTheViolationWaitsSendsTheViolationsClose() throws Exception {
        start(WebSocketConfig.builder().failureDrainTimeout(Duration.ofHours(1)).build(), Echo.PLAIN.create(c -> {
            Echo.echo(c, c.waitForMessage());
            // Returning closes the connection with 1000: the 1002 goes out instead, at once.
        }));
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            MessageThenViolation.all().get(0).sendTo(Role.SERVER, client::send);

            assertEquals("Hello, world!", client.readFrame().text());
            assertEquals(1002, client.readFrame().closeCode());
            client.expectEndOfStream();
        }
    }

    private void start(WebSocketConfig config, WebSocketHandler handler) {
        server = new WebSocketServer("127.0.0.1", 0);
        server.setConfig(config);
        server.registerHandler("*", "*", handler, true, true);
        server.bind();
    }

    private static void assertBetween(Duration least, Duration most, Duration actual) {
        assertTrue(actual.compareTo(least) >= 0 && actual.compareTo(most) <= 0,
                "expected the Close after " + least.toMillis() + " to " + most.toMillis() + " ms, got "
                        + actual.toMillis() + " ms");
    }
}
