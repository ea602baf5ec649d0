package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.topics.SubscriberClients.Received;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order over real sockets: the messages of each of several concurrent publishers reach every subscriber in the order
 * they were published; a subscription made before a publish call gets that message, one ended before it does not.
 * The clients are spread over the server's event loops.
 */
class OrderingTest {
    private static final int CLIENTS = 12;

    @Test
    void eachSubscriberSeesEachPublishersMessagesInPublishOrder() throws Exception {
        int publishers = 4;
        int perPublisher = 500;
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), CLIENTS)) {
            for (Communicator c : clients.serverSides(server)) {
                assertTrue(c.subscribe("ticks"));
            }
            ChannelTopics topics = server.server().topics();
            Map<Received, String> names = new HashMap<>();
            for (int p = 0; p < publishers; p++) {
                for (int i = 0; i < perPublisher; i++) {
                    names.put(Received.text(p + ":" + i), p + ":" + i);
                }
            }
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(publishers);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    int publisher = p;
                    running.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perPublisher; i++) {
                            topics.publish("ticks", publisher + ":" + i);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : running) {
                    f.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            int total = publishers * perPublisher;
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Await.until("client " + c + " received " + total + " messages", () -> clients.count(client) >= total);
                int[] next = new int[publishers];
                for (Received r : clients.received(c)) {
                    String name = names.get(r);
                    assertNotNull(name, "client " + c + " received a message nobody published: " + r);
                    int p = Integer.parseInt(name.substring(0, name.indexOf(':')));
                    int i = Integer.parseInt(name.substring(name.indexOf(':') + 1));
                    assertEquals(next[p], i, "client " + c + ": the next message of publisher " + p);
                    next[p]++;
                }
                for (int p = 0; p < publishers; p++) {
                    assertEquals(perPublisher, next[p], "client " + c + ": messages of publisher " + p);
                }
            }
        }
    }

    /**
     * Each round: every client subscribes to a new topic, a message is published to it, all but client 0
     * unsubscribe, a second message is published to it, then a marker to a topic all are in. Subscribing and
     * unsubscribing run on the test thread, not the connections' event loops, and return before the publish call
     * starts: every client gets the first message, only client 0 the second, all the marker after them.
     */
    @Test
    void aSubscriptionMadeBeforeAPublishGetsItAndOneEndedBeforeDoesNot() throws Exception {
        int rounds = 100;
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), CLIENTS)) {
            List<Communicator> sides = clients.serverSides(server);
            ChannelTopics topics = server.server().topics();
            for (Communicator c : sides) {
                assertTrue(c.subscribe("marker"));
            }
            for (int n = 0; n < rounds; n++) {
                String topic = "round " + n;
                for (Communicator c : sides) {
                    assertTrue(c.subscribe(topic));
                }
                topics.publish(topic, "in " + n);
                for (int c = 1; c < CLIENTS; c++) {
                    assertTrue(sides.get(c).unsubscribe(topic));
                }
                topics.publish(topic, "out " + n);
                topics.publish("marker", "marker " + n);
            }
            for (int c = 0; c < CLIENTS; c++) {
                List<Received> expected = new ArrayList<>();
                for (int n = 0; n < rounds; n++) {
                    expected.add(Received.text("in " + n));
                    if (c == 0) {
                        expected.add(Received.text("out " + n));
                    }
                    expected.add(Received.text("marker " + n));
                }
                int client = c;
                Await.until("client " + c + " received " + expected.size() + " messages",
                        () -> clients.count(client) >= expected.size());
                assertEquals(expected, clients.received(c), "the messages of client " + c);
            }
            assertEquals(1 + rounds, topics.topicCount(), "the marker and client 0's rounds");
            assertEquals(1, topics.subscriberCount("round 0"));
            assertEquals(1 + rounds, sides.get(0).subscriptions().size());
            assertEquals(List.of("marker"), new ArrayList<>(sides.get(1).subscriptions()));
        }
    }
}
