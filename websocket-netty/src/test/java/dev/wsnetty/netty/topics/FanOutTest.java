package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.topics.SubscriberClients.Received;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fan-out to many over real sockets: 300 client connections, each subscribed (through its server-side
 * communicator) to its own subset of four topics, the server's event loops all serving some. Every client receives
 * exactly the messages of its topics, each once, in publish order, intact (text with multi-byte UTF-8 and binary,
 * small and larger than 64 KiB, so with each of the three payload length encodings), and nothing else.
 */
class FanOutTest {
    private static final int CLIENTS = 300;
    private static final String[] TOPICS = {"alpha", "beta", "gamma", "delta"};
    private static final int ROUNDS = 10;
    /** Past 65,535 bytes: the frame header's 64-bit length. */
    private static final int LARGE = 70_000;

    /** One published message: its topic (null for publishToAll) and how a client records it. */
    private record Published(String topic, Received received) {
    }

    @Test
    void everySubscriberReceivesEveryMessageOfItsTopicsOnceInOrderAndNothingElse() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), CLIENTS)) {
            ChannelTopics topics = server.server().topics();
            List<Communicator> sides = clients.serverSides(server);
            int[] expectedCounts = new int[TOPICS.length];
            for (int i = 0; i < CLIENTS; i++) {
                Communicator c = sides.get(i);
                for (int t = 0; t < TOPICS.length; t++) {
                    if (subscribes(i, t)) {
                        assertEquals(true, c.subscribe(TOPICS[t]));
                        expectedCounts[t]++;
                    }
                }
            }
            for (int t = 0; t < TOPICS.length; t++) {
                assertEquals(expectedCounts[t], topics.subscriberCount(TOPICS[t]), TOPICS[t]);
            }
            assertEquals(TOPICS.length, topics.topicCount());

            List<Published> published = publishAll(topics);

            for (int i = 0; i < CLIENTS; i++) {
                List<Received> expected = new ArrayList<>();
                for (Published p : published) {
                    if (p.topic() == null || subscribes(i, Arrays.asList(TOPICS).indexOf(p.topic()))) {
                        expected.add(p.received());
                    }
                }
                int client = i;
                Await.until("client " + i + " received its " + expected.size() + " messages",
                        () -> clients.count(client) >= expected.size());
                assertEquals(expected, clients.received(i), "the messages of client " + i);
            }
            assertEquals(0, topics.slowSubscribersClosed());
            assertEquals(0, topics.droppedMessages());
        }
    }

    /** Client {@code i} subscribes to topic {@code t} by the bits of {@code i}: all 16 subsets occur, none too. */
    private static boolean subscribes(int i, int t) {
        return ((i >> t) & 1) == 1;
    }

    /** Publishes small and large text and binary messages to every topic, then one to every connection. */
    private static List<Published> publishAll(ChannelTopics topics) {
        List<Published> published = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (String topic : TOPICS) {
                String text = topic + " " + round + " ünïcödé €";
                topics.publish(topic, text);
                published.add(new Published(topic, Received.text(text)));
                byte[] data = pattern(topic.hashCode() + round, 200);
                topics.publish(topic, data);
                published.add(new Published(topic, Received.binary(data)));
                if (round == ROUNDS / 2) {
                    String large = (topic + " large €").repeat(LARGE / 10);
                    topics.publish(topic, large);
                    published.add(new Published(topic, Received.text(large)));
                    byte[] largeData = pattern(topic.hashCode(), LARGE);
                    topics.publish(topic, largeData);
                    published.add(new Published(topic, Received.binary(largeData)));
                }
            }
        }
        topics.publishToAll("end");
        published.add(new Published(null, Received.text("end")));
        return published;
    }

    private static byte[] pattern(int seed, int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (seed * 31 + i * 7 + (i >> 8));
        }
        return data;
    }
}
