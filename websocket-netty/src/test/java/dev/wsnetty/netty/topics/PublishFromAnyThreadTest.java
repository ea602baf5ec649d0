package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing from the threads an application has: a handler thread of the blocking API
 * ({@code communicator.topics().publish}), a connection's event loop and a thread of its own; and what a topic
 * costs when nobody listens: publishing to it does nothing, and a topic is gone once its last subscriber left.
 *
 * <p>The server's handler speaks a small protocol: {@code sub T} subscribes the connection to topic T,
 * {@code unsub T} unsubscribes it, {@code pub T text} publishes text to T; each is answered with {@code ok ...}
 * once done.
 */
class PublishFromAnyThreadTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private WebSocketServer server;
    private final List<Communicator> clients = new ArrayList<>();
    private final EventRecorder<Communicator> serverSides = new EventRecorder<>("server-side connection");

    @BeforeEach
    void start() {
        server = new WebSocketServer("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        clients.forEach(Communicator::close);
        server.stop();
    }

    @ParameterizedTest
    @EnumSource(HandlerKind.class)
    void aHandlerThreadPublishesThroughItsCommunicator(HandlerKind kind) throws IOException {
        serve(kind);
        Communicator subscriber = connect();
        Communicator publisher = connect();
        request(subscriber, "sub room");
        request(publisher, "pub room hello from a handler thread");
        assertEquals("hello from a handler thread", subscriber.waitForStringMessage(WAIT).data());
        assertFalse(publisher.hasMessages(), "the publisher is not subscribed");
    }

    @Test
    void theEventLoopAndAnUnrelatedThreadPublish() throws Exception {
        serve(HandlerKind.PLAIN);
        Communicator subscriber = connect();
        request(subscriber, "sub room");
        Communicator publisher = connect();
        ChannelTopics topics = server.topics();
        for (int i = 0; i < 2; i++) {
            // Each connection's event loop (two loops when the server has several).
            Channel channel = serverSides.next().unwrap(Channel.class);
            String text = "from the event loop of connection " + i;
            channel.eventLoop().execute(() -> {
                assertTrue(channel.eventLoop().inEventLoop());
                topics.publish("room", text);
            });
            assertEquals(text, subscriber.waitForStringMessage(WAIT).data());
        }
        assertFalse(publisher.hasMessages());
        Thread own = new Thread(() -> topics.publish("room", "from a thread of its own"), "own publisher");
        own.start();
        own.join(WAIT.toMillis());
        assertEquals("from a thread of its own", subscriber.waitForStringMessage(WAIT).data());
    }

    @Test
    void publishingToATopicWithoutSubscribersDoesNothingAndLeavesNoTopic() throws IOException {
        serve(HandlerKind.PLAIN);
        Communicator client = connect();
        request(client, "sub other");
        ChannelTopics topics = server.topics();
        assertEquals(1, topics.topicCount());
        topics.publish("nobody", "lost");
        topics.publish("nobody", new byte[] {1, 2, 3});
        request(client, "pub nobody lost too");
        assertEquals(0, topics.subscriberCount("nobody"));
        assertEquals(1, topics.topicCount(), "publishing made no topic");
        topics.publish("other", "still here");
        assertEquals("still here", client.waitForStringMessage(WAIT).data(), "nothing published to nobody arrived");
    }

    @Test
    void aTopicIsGoneOnceItsLastSubscriberLeft() throws IOException {
        serve(HandlerKind.PLAIN);
        Communicator first = connect();
        Communicator second = connect();
        request(first, "sub room");
        request(second, "sub room");
        ChannelTopics topics = server.topics();
        assertEquals(2, topics.subscriberCount("room"));
        assertEquals(1, topics.topicCount());
        request(first, "unsub room");
        assertEquals(1, topics.subscriberCount("room"));
        assertEquals(1, topics.topicCount());
        second.close();
        Await.until("the last subscriber's close removed the topic", () -> topics.topicCount() == 0);
        assertEquals(0, topics.subscriberCount("room"));
        request(first, "sub room");
        assertEquals(1, topics.subscriberCount("room"), "a topic is made again by a new subscriber");
    }

    /** Registers the handler speaking the small protocol of this class, as {@code kind}, and binds the server. */
    private void serve(HandlerKind kind) {
        server.registerHandler("*", "*", kind.create(this::handle), true, true);
        server.bind();
    }

    private void handle(Communicator c) {
        serverSides.record(c);
        WebSocketMessage m;
        while ((m = c.waitForMessage()) != null) {
            String[] words = ((StringMessage) m).data().split(" ", 3);
            switch (words[0]) {
                case "sub" -> c.subscribe(words[1]);
                case "unsub" -> c.unsubscribe(words[1]);
                case "pub" -> c.topics().publish(words[1], words[2]);
                default -> throw new IllegalArgumentException(words[0]);
            }
            c.writeStringMessage("ok " + String.join(" ", words));
        }
    }

    private Communicator connect() throws IOException {
        Communicator c = new WebSocketClient("127.0.0.1", server.port(), "/").connectOrThrow();
        clients.add(c);
        return c;
    }

    /** Sends {@code command} and waits for its answer. */
    private static void request(Communicator c, String command) {
        c.writeStringMessage(command);
        assertEquals("ok " + command, c.waitForStringMessage(WAIT).data());
    }
}
