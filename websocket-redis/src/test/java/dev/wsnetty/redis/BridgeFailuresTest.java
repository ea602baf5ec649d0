package dev.wsnetty.redis;

import dev.wsnetty.redis.testing.RedisServer;
import dev.wsnetty.testing.Await;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the bridge does when Redis or the publisher misbehaves, against a real redis-server: a hung Redis costs
 * the publisher no wait (the pending bound turns the excess into counted losses), a too-large message is refused
 * before anyone gets it, a password is sent and a wrong one refused at start, and foreign bytes on the bridge's
 * channels are skipped.
 */
class BridgeFailuresTest {
    @Test
    void aHungRedisNeverHoldsThePublisherAndPublishesPastThePendingBoundAreCountedLost() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisBridgeConfig config = RedisBridgeConfig.builder(redis.uri()).maxPendingPublishes(10)
                    .commandTimeout(Duration.ofSeconds(60)).build();
            try (Node publisher = new Node(config, 1); Node remote = new Node(config, 1)) {
                publisher.subscribeAll("feed");
                remote.subscribeAll("feed");
                ClusterTopicsTest.awaitRedisSubscribers(redis, remote.bridge.channelOf("feed"), 2);
                signal(redis, "STOP"); // Redis hangs: its socket takes the commands, nothing answers
                try {
                    for (int i = 0; i < 50; i++) {
                        publisher.topics().publish("feed", "m" + i);
                    }
                    assertEquals(10, publisher.bridge.pendingPublishes(), "the pending bound");
                    assertEquals(40, publisher.bridge.lostPublishes(), "the publishes past it");
                    Await.until("50 local messages", () -> publisher.clients.received(0).size() == 50);
                } finally {
                    signal(redis, "CONT");
                }
                Await.until("the pending publishes answered", () -> publisher.bridge.pendingPublishes() == 0);
                Await.until("10 remote messages", () -> remote.clients.received(0).size() >= 10);
                assertEquals(messages(0, 10), remote.clients.received(0), "the ten sent before the bound");
                assertEquals(40, publisher.bridge.lostPublishes());
            }
        }
    }

    @Test
    void publishesPastThePendingBytesBoundAreCountedLost() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisBridgeConfig config = RedisBridgeConfig.builder(redis.uri()).maxPendingBytes(1000)
                    .commandTimeout(Duration.ofSeconds(60)).build();
            try (Node publisher = new Node(config, 1)) {
                publisher.subscribeAll("feed");
                signal(redis, "STOP");
                try {
                    for (int i = 0; i < 5; i++) {
                        publisher.topics().publish("feed", "z".repeat(400)); // 410 bytes with the envelope
                    }
                    assertEquals(2, publisher.bridge.pendingPublishes(), "820 bytes pending, 1230 would pass 1000");
                    assertEquals(3, publisher.bridge.lostPublishes());
                } finally {
                    signal(redis, "CONT");
                }
                Await.until("the pending publishes answered", () -> publisher.bridge.pendingPublishes() == 0);
                Await.until("5 local messages", () -> publisher.clients.received(0).size() == 5);
            }
        }
    }

    @Test
    void aMessageOverThePayloadLimitIsRefusedWithItsSizeAndReachesNobody() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisBridgeConfig config = RedisBridgeConfig.builder(redis.uri()).maxPayloadBytes(100).build();
            try (Node publisher = new Node(config, 1); Node remote = new Node(config, 1)) {
                publisher.subscribeAll("feed");
                remote.subscribeAll("feed");
                ClusterTopicsTest.awaitRedisSubscribers(redis, remote.bridge.channelOf("feed"), 2);
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> publisher.topics().publish("feed", "x".repeat(101)));
                assertEquals("a message of 101 bytes exceeds the limit of 100 bytes for topics carried through"
                        + " Redis (maxPayloadBytes)", refused.getMessage());
                String fits = "y".repeat(100);
                publisher.topics().publish("feed", fits);
                Await.until("the message that fits, remotely", () -> remote.clients.received(0).size() >= 1);
                Await.until("the message that fits, locally", () -> publisher.clients.received(0).size() >= 1);
                assertEquals(List.of(fits), remote.clients.received(0));
                assertEquals(List.of(fits), publisher.clients.received(0));
            }
        }
    }

    @Test
    void aPasswordInTheUriLogsInAndAWrongOneIsRefusedAtStart() throws Exception {
        try (RedisServer redis = RedisServer.startWithPassword("s3cret")) {
            RedisBridgeConfig config = RedisBridgeConfig.builder(redis.uri()).build();
            assertTrue(redis.uri().contains(":s3cret@"), redis.uri());
            try (Node publisher = new Node(config, 1); Node remote = new Node(config, 1)) {
                remote.subscribeAll("feed");
                ClusterTopicsTest.awaitRedisSubscribers(redis, remote.bridge.channelOf("feed"), 1);
                publisher.topics().publish("feed", "through the password");
                Await.until("the message, remotely", () -> remote.clients.received(0).size() >= 1);
                assertEquals(List.of("through the password"), remote.clients.received(0));
            }
            RedisBridgeConfig wrong =
                    RedisBridgeConfig.builder("redis://:wrong@127.0.0.1:" + redis.port()).build();
            try (Node unused = new Node(wrong, 0)) {
                throw new AssertionError("a bridge logged in with a wrong password");
            } catch (RedisConnectionException refused) {
                assertTrue(causes(refused).contains("WRONGPASS"), causes(refused));
            }
        }
    }

    @Test
    void bytesOnTheBridgesChannelsThatAreNoEnvelopeAreSkippedAndCounted() throws Exception {
        try (RedisServer redis = RedisServer.start();
             Node node = new Node(RedisBridgeConfig.builder(redis.uri()).build(), 1)) {
            node.subscribeAll("feed");
            String channel = node.bridge.channelOf("feed");
            ClusterTopicsTest.awaitRedisSubscribers(redis, channel, 1);
            assertEquals("1", redis.command("PUBLISH", channel, "not an envelope"));
            Await.until("the message counted as malformed", () -> node.bridge.malformedMessages() == 1);
            node.topics().publish("feed", "after");
            Await.until("the next message", () -> node.clients.received(0).size() >= 1);
            assertEquals(List.of("after"), node.clients.received(0));
        }
    }

    private static List<String> messages(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("m" + i);
        }
        return out;
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" / ");
        }
        return b.toString();
    }

    private static void signal(RedisServer redis, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(redis.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }
}
