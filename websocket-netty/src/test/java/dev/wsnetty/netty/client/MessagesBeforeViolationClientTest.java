package dev.wsnetty.netty.client;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.testing.MessageThenViolation;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's blocking API answers the Autobahn cases in which a valid message comes before a protocol violation
 * with their OK verdict: the echo driver gets the message and its echo goes out before the Close 1002, whether it
 * reads in a loop or in a receive-message listener; and a driver that never reads gets the Close after
 * {@link WebSocketConfig#failureDrainTimeout()}. The server side is a scripted raw socket.
 */
class MessagesBeforeViolationClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** How the echo driver takes its messages. */
    enum Driver {
        /** A thread in a waitForMessage loop, as the Autobahn client driver. */
        LOOP,
        /** A receive-message listener taking what is queued. */
        LISTENER;

        void start(Communicator communicator) {
            if (this == LISTENER) {
                communicator.setOnReceiveMessage(c -> {
                    List<WebSocketMessage> messages = new ArrayList<>();
                    c.getUnprocessedMessages(messages);
                    messages.forEach(m -> echo(c, m));
                });
                communicator.startReceiveMessageThread();
                return;
            }
            Thread loop = new Thread(() -> {
                WebSocketMessage message;
                while ((message = communicator.waitForMessage()) != null) {
                    echo(communicator, message);
                }
            }, "echo driver");
            loop.setDaemon(true);
            loop.start();
        }

        private static void echo(Communicator communicator, WebSocketMessage message) {
            if (message instanceof StringMessage) {
                communicator.writeStringMessage(((StringMessage) message).data());
            }
        }
    }

    static Stream<Arguments> casesAndDrivers() {
        return MessageThenViolation.all().stream()
                .flatMap(c -> Stream.of(Driver.values()).map(d -> Arguments.of(c, d)));
    }

    @ParameterizedTest(name = "Autobahn {0}, {1} driver")
    @MethodSource("casesAndDrivers")
    void theMessageBeforeTheViolationIsEchoedBeforeTheClose(MessageThenViolation kase, Driver driver)
            throws Exception {
        EventRecorder<WireFrame> frames = new EventRecorder<>("frame the server read");
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching());
            kase.sendTo(Role.CLIENT, ex::send);
            recordUntilClose(ex, frames);
        })) {
            Communicator communicator = new WebSocketClient("127.0.0.1", server.port()).connect();
            driver.start(communicator);

            WireFrame first = frames.next();
            assertEquals(0x1, first.opcode(), "Autobahn " + kase + ": the echo should come first, got " + first);
            assertEquals(kase.echo(), first.text());
            WireFrame close = frames.next();
            assertEquals(0x8, close.opcode(), "Autobahn " + kase + ": then the Close, got " + close);
            assertEquals(1002, close.closeCode());
            assertEquals(new CloseStatus(1002, close.closeReason()), communicator.awaitClose(WAIT));
        }
    }

    @Test
    void aDriverThatNeverReadsGetsTheCloseAfterTheBound() throws Exception {
        Duration bound = Duration.ofSeconds(1); // long enough that a Close sent at once never takes it
        EventRecorder<WireFrame> frames = new EventRecorder<>("frame the server read");
        EventRecorder<Long> sentAt = new EventRecorder<>("time the case was sent");
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching());
            sentAt.record(System.nanoTime());
            MessageThenViolation.all().get(0).sendTo(Role.CLIENT, ex::send);
            recordUntilClose(ex, frames);
            sentAt.record(System.nanoTime());
        })) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setConfig(WebSocketConfig.builder().failureDrainTimeout(bound).build());
            Communicator communicator = client.connect();

            WireFrame close = frames.next();
            assertEquals(1002, close.closeCode(), "nothing but the Close: " + close);
            Duration took = Duration.ofNanos(-sentAt.next() + sentAt.next());
            assertTrue(took.compareTo(bound) >= 0 && took.compareTo(bound.plusSeconds(2)) <= 0,
                    "expected the Close after 1000 to 3000 ms, got " + took.toMillis() + " ms");
            assertEquals(new CloseStatus(1002, close.closeReason()), communicator.awaitClose(WAIT));
        }
    }

    /** Records the client's frames up to its Close; the script's end then closes TCP, as a server does. */
    private static void recordUntilClose(ScriptedServer.Exchange ex, EventRecorder<WireFrame> frames)
            throws java.io.IOException {
        WireFrame frame;
        do {
            frame = ex.readFrame();
            frames.record(frame);
        } while (frame.opcode() != 0x8);
    }
}
