package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection that ends leaves every topic it was in, however it ends: the client's closing handshake, a TCP
 * reset, the server's close. Its subscriber counts drop, its subscriptions are empty, later publications skip it
 * (no write to a dead channel, no leaked frame: the leak detector runs paranoid) and it cannot subscribe again.
 */
class UnsubscribeOnCloseTest {
    private static final String[] TOPICS = {"news", "sport", "weather"};

    @Test
    void theClientsClosingHandshakeUnsubscribesIt() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient leaving = RawClient.upgrade(server.port(), "/");
             RawClient staying = RawClient.upgrade(server.port(), "/")) {
            Communicator left = subscribeBoth(server, leaving);
            leaving.sendClose(1000, "bye");
            assertEquals(1000, leaving.readUntilClose().closeCode());
            assertGone(server, left);
            publishAndExpect(server, staying);
        }
    }

    @Test
    void aTcpResetUnsubscribesIt() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient staying = RawClient.upgrade(server.port(), "/")) {
            subscribeToAll(server.next());
            RawClient reset = RawClient.upgrade(server.port(), "/");
            Communicator left = subscribeToAll(server.next());
            reset.socket().setSoLinger(true, 0); // close() now sends RST
            reset.close();
            assertGone(server, left);
            publishAndExpect(server, staying);
        }
    }

    @Test
    void theServersCloseUnsubscribesIt() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient closed = RawClient.upgrade(server.port(), "/");
             RawClient staying = RawClient.upgrade(server.port(), "/")) {
            Communicator left = subscribeBoth(server, closed);
            left.close(1001, "going away");
            assertEquals(1001, closed.readUntilClose().closeCode());
            closed.sendClose(1001, "");
            assertGone(server, left);
            publishAndExpect(server, staying);
        }
    }

    @Test
    void manyConnectionsClosingAtOnceLeaveNoSubscription() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start()) {
            ChannelTopics topics = server.server().topics();
            SubscriberClients clients = SubscriberClients.connect(server.port(), 100);
            try {
                for (Communicator c : clients.serverSides(server)) {
                    subscribeToAll(c);
                }
                assertEquals(100, topics.subscriberCount("news"));
                for (int i = 0; i < 20; i++) {
                    topics.publish(TOPICS[i % TOPICS.length], "message " + i); // in flight while they close
                }
            } finally {
                clients.close();
            }
            Await.until("every connection left every topic", () -> topics.topicCount() == 0);
            for (String topic : TOPICS) {
                assertEquals(0, topics.subscriberCount(topic));
                topics.publish(topic, "to nobody");
            }
            assertEquals(0, topics.topicCount());
        }
    }

    /** Subscribes the server sides of two connections; returns the one of {@code client}. */
    private static Communicator subscribeBoth(WebSocketServerFixture server, RawClient client) {
        Communicator first = subscribeToAll(server.next());
        Communicator second = subscribeToAll(server.next());
        return first.remoteAddress().getPort() == client.socket().getLocalPort() ? first : second;
    }

    private static Communicator subscribeToAll(Communicator c) {
        for (String topic : TOPICS) {
            assertTrue(c.subscribe(topic));
        }
        assertEquals(Set.of(TOPICS), c.subscriptions());
        return c;
    }

    /** Waits until the closed connection's subscriptions are gone, then checks it cannot subscribe again. */
    private static void assertGone(WebSocketServerFixture server, Communicator left) {
        ChannelTopics topics = server.server().topics();
        Channel channel = left.unwrap(Channel.class);
        Await.until("the closed connection left its topics", () -> topics.subscriberCount("news") == 1);
        for (String topic : TOPICS) {
            assertEquals(1, topics.subscriberCount(topic), topic);
        }
        assertEquals(Set.of(), topics.subscriptions(channel));
        assertEquals(Set.of(), left.subscriptions());
        assertTrue(channel.closeFuture().awaitUninterruptibly(Await.DEADLINE.toMillis()));
        assertFalse(left.subscribe("news"), "a closed connection cannot subscribe");
        assertFalse(topics.subscribe(channel, "late"));
        assertEquals(0, topics.subscriberCount("late"));
        assertFalse(left.unsubscribe("news"));
    }

    /** Publishes to every topic: the remaining subscriber gets each message, the closed one is skipped quietly. */
    private static void publishAndExpect(WebSocketServerFixture server, RawClient staying) throws IOException {
        ChannelTopics topics = server.server().topics();
        for (String topic : TOPICS) {
            topics.publish(topic, "after the close: " + topic);
        }
        for (String topic : TOPICS) {
            assertEquals("after the close: " + topic, staying.readFrame().text());
        }
        assertEquals(0, topics.droppedMessages());
        assertEquals(0, topics.slowSubscribersClosed());
    }
}
