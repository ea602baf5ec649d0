package dev.wsnetty.redis;

import dev.wsnetty.redis.testing.RedisServer;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes (three servers, three bridges) and one real redis-server in one JVM, clients on every node: what is
 * published on any node reaches every client exactly once, in each publisher's order; a Redis outage leaves local
 * delivery going, is counted and logged once, and delivery across nodes resumes after Redis is back.
 */
class ClusterTopicsTest {
    private static final int NODES = 3;
    private static final String TOPIC = "chat";

    @Test
    void everyClientOnEveryNodeGetsEveryMessageOnceInEachPublishersOrder() throws Exception {
        int perNode = 300;
        try (RedisServer redis = RedisServer.start(); Cluster cluster = new Cluster(config(redis), 3)) {
            cluster.subscribeAll();
            awaitRedisSubscribers(redis, cluster.nodes.get(0).bridge.channelOf(TOPIC), NODES);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(NODES);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int n = 0; n < NODES; n++) {
                    Node node = cluster.nodes.get(n);
                    String publisher = "node" + n;
                    running.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perNode; i++) {
                            node.topics().publish(TOPIC, publisher + ":" + i);
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
            int total = NODES * perNode;
            for (Node node : cluster.nodes) {
                for (int c = 0; c < node.clients.size(); c++) {
                    int client = c;
                    Await.until(total + " messages at a client",
                            () -> node.clients.received(client).size() >= total);
                    List<String> got = node.clients.received(client);
                    assertEquals(total, got.size(), "exactly once");
                    for (int n = 0; n < NODES; n++) {
                        assertEquals(sequence("node" + n, 0, perNode), from("node" + n, got),
                                "the messages of node " + n + ", in its order");
                    }
                }
            }
            for (Node node : cluster.nodes) {
                assertEquals((NODES - 1) * perNode, node.bridge.receivedMessages(), "each node's messages from Redis");
                assertEquals(0, node.bridge.lostPublishes());
            }
        }
    }

    @Test
    void aRedisOutageKeepsLocalDeliveryIsCountedOnceLoggedAndEndsWithResubscription() throws Exception {
        try (RedisServer redis = RedisServer.start(); Cluster cluster = new Cluster(config(redis), 2);
             LogCapture log = new LogCapture("dev.wsnetty.redis", Level.INFO)) {
            cluster.subscribeAll();
            String channel = cluster.nodes.get(0).bridge.channelOf(TOPIC);
            awaitRedisSubscribers(redis, channel, NODES);
            cluster.publishFromEach("before");
            cluster.awaitEveryClient(NODES);

            redis.kill();
            for (Node node : cluster.nodes) {
                Await.until("the bridge sees Redis gone", () -> !node.bridge.isConnected());
            }
            int outagePublishes = 5;
            for (int i = 0; i < outagePublishes; i++) {
                cluster.publishFromEach("during" + i);
            }
            cluster.awaitEveryClient(NODES + outagePublishes); // only their own node's, as checked below
            for (Node node : cluster.nodes) {
                assertEquals(outagePublishes, node.bridge.lostPublishes(), "publishes lost in the outage");
            }
            assertEquals(NODES, log.containing("Redis publishes are failing").size(), "one warning per node");

            redis.restart();
            awaitRedisSubscribers(redis, channel, NODES);
            for (Node node : cluster.nodes) {
                Await.until("the bridge reconnected", node.bridge::isConnected);
            }
            cluster.publishFromEach("after");
            cluster.awaitEveryClient(NODES + outagePublishes + NODES);
            for (int n = 0; n < NODES; n++) {
                Node node = cluster.nodes.get(n);
                for (int c = 0; c < node.clients.size(); c++) {
                    List<String> got = node.clients.received(c);
                    assertEquals(NODES + outagePublishes + NODES, got.size(), "exactly once: " + got);
                    for (int p = 0; p < NODES; p++) {
                        List<String> expected = new ArrayList<>(List.of("node" + p + ":before"));
                        if (p == n) {
                            expected.addAll(sequence("node" + p, "during", outagePublishes));
                        }
                        expected.add("node" + p + ":after");
                        assertEquals(expected, from("node" + p, got), "node " + n + " client " + c);
                    }
                }
                assertEquals(outagePublishes, node.bridge.lostPublishes(), "no loss after the outage");
            }
            assertEquals(NODES, log.containing("Redis publishes succeed again; 5 publishes were lost").size(),
                    "one line per node when publishing works again");
        }
    }

    @Test
    void aNodeUnsubscribesFromRedisWhenItsLastLocalSubscriberLeaves() throws Exception {
        try (RedisServer redis = RedisServer.start(); Node node = new Node(config(redis), 2)) {
            String channel = node.bridge.channelOf("news");
            node.subscribeAll("news");
            awaitRedisSubscribers(redis, channel, 1);
            assertTrue(node.sides.get(0).unsubscribe("news"));
            node.sides.get(1).close(1000, "bye");
            awaitRedisSubscribers(redis, channel, 0);
            assertEquals("", redis.command("PUBSUB", "CHANNELS", "wsnetty:topic:*"));
        }
    }

    @Test
    void manySubscribeAndUnsubscribeRacesEndWithRedisMatchingTheLocalState() throws Exception {
        try (RedisServer redis = RedisServer.start(); Node node = new Node(config(redis), 4)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    var side = node.sides.get(c);
                    running.add(pool.submit(() -> {
                        for (int i = 0; i < 500; i++) {
                            side.subscribe("flip" + (i % 5));
                            side.unsubscribe("flip" + (i % 5));
                        }
                        side.subscribe("flip0"); // the end state: flip0 has subscribers, flip1..4 none
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            awaitRedisSubscribers(redis, node.bridge.channelOf("flip0"), 1);
            Await.until("Redis holds no other flip channel", () -> {
                try {
                    return redis.command("PUBSUB", "CHANNELS", "wsnetty:topic:*").equals("wsnetty:topic:flip0");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    /** Waits until {@code channel} has {@code count} subscribers in Redis ({@code PUBSUB NUMSUB}). */
    static void awaitRedisSubscribers(RedisServer redis, String channel, int count) {
        Await.until(count + " subscribers of " + channel + " in Redis", () -> {
            try {
                return (channel + " " + count).equals(redis.command("PUBSUB", "NUMSUB", channel));
            } catch (Exception e) {
                return false; // Redis still starting
            }
        });
    }

    static RedisBridgeConfig config(RedisServer redis) {
        return RedisBridgeConfig.builder(redis.uri())
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
    }

    /** The messages of {@code publisher} ("publisher:..."), in the order received. */
    static List<String> from(String publisher, List<String> received) {
        List<String> out = new ArrayList<>();
        for (String m : received) {
            if (m.startsWith(publisher + ":")) {
                out.add(m);
            }
        }
        return out;
    }

    private static List<String> sequence(String publisher, int from, int count) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(publisher + ":" + i);
        }
        return out;
    }

    private static List<String> sequence(String publisher, String prefix, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(publisher + ":" + prefix + i);
        }
        return out;
    }

    /** {@value #NODES} nodes on one Redis. */
    private static final class Cluster implements AutoCloseable {
        final List<Node> nodes = new ArrayList<>();

        Cluster(RedisBridgeConfig config, int clientsPerNode) {
            try {
                for (int n = 0; n < NODES; n++) {
                    nodes.add(new Node(config, clientsPerNode));
                }
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }

        void subscribeAll() {
            for (Node node : nodes) {
                node.subscribeAll(TOPIC);
            }
        }

        /** Node n publishes "node<n>:<what>". */
        void publishFromEach(String what) {
            for (int n = 0; n < NODES; n++) {
                nodes.get(n).topics().publish(TOPIC, "node" + n + ":" + what);
            }
        }

        /** Waits until every client has received {@code count} messages. */
        void awaitEveryClient(int count) {
            for (Node node : nodes) {
                for (int c = 0; c < node.clients.size(); c++) {
                    int client = c;
                    Await.until(count + " messages at a client", () -> node.clients.received(client).size() >= count);
                }
            }
        }

        @Override
        public void close() {
            for (Node node : nodes) {
                node.close();
            }
        }
    }
}
