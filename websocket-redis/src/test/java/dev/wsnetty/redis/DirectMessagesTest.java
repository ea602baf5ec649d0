package dev.wsnetty.redis;

import dev.wsnetty.redis.testing.RedisServer;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages to one connection wherever it is connected, against a real redis-server: the registry entry names the
 * holding node, a message from another node reaches the connection and only it, the entry goes when the
 * connection closes, and a stopped node's entries vanish once their expiry passes without a refresh.
 */
class DirectMessagesTest {
    @Test
    void aMessageForAnIdReachesItsConnectionOnAnotherNodeOnly() throws Exception {
        try (RedisServer redis = RedisServer.start();
             Node holder = new Node(RedisBridgeConfig.builder(redis.uri()).build(), 2);
             Node sender = new Node(RedisBridgeConfig.builder(redis.uri()).build(), 0)) {
            holder.bridge.bind("alice", holder.sides.get(0).unwrap(Channel.class));
            Await.until("alice in the registry", () -> nodeOf(redis, "alice") != null);
            assertEquals(Long.toUnsignedString(holder.bridge.nodeId(), 16), nodeOf(redis, "alice"));
            assertTrue(sender.bridge.sendTo("alice", "hello alice").toCompletableFuture()
                    .get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            // true means Redis handed it to the holder's subscription, not yet written: a later local send
            // could overtake it, so the second message waits for the first.
            Await.until("the message through Redis", () -> holder.clients.received(0).size() >= 1);
            assertTrue(holder.bridge.sendTo("alice", "from her own node").toCompletableFuture()
                    .get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            Await.until("2 messages for alice", () -> holder.clients.received(0).size() >= 2);
            assertEquals(List.of("hello alice", "from her own node"), holder.clients.received(0));
            assertEquals(List.of(), holder.clients.received(1), "the other connection of that node");
            assertFalse(sender.bridge.sendTo("bob", "nobody").toCompletableFuture()
                    .get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "an id nobody holds");
            assertEquals(1, sender.bridge.undeliverableMessages());
        }
    }

    @Test
    void theEntryGoesWhenItsConnectionCloses() throws Exception {
        try (RedisServer redis = RedisServer.start();
             Node holder = new Node(RedisBridgeConfig.builder(redis.uri()).build(), 1)) {
            holder.bridge.bind("carol", holder.sides.get(0).unwrap(Channel.class));
            Await.until("carol in the registry", () -> nodeOf(redis, "carol") != null);
            holder.sides.get(0).close(1000, "bye");
            Await.until("carol gone from the registry", () -> nodeOf(redis, "carol") == null);
        }
    }

    @Test
    void aStoppedNodesEntriesVanishAfterTheExpiryWhileARunningNodeRefreshesItsOwn() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisBridgeConfig config = RedisBridgeConfig.builder(redis.uri()).idExpiry(Duration.ofMillis(900)).build();
            try (Node staying = new Node(config, 1)) {
                Node stopping = new Node(config, 1);
                try {
                    stopping.bridge.bind("dave", stopping.sides.get(0).unwrap(Channel.class));
                    staying.bridge.bind("erin", staying.sides.get(0).unwrap(Channel.class));
                    Await.until("both in the registry", () -> nodeOf(redis, "dave") != null
                            && nodeOf(redis, "erin") != null);
                    stopping.bridge.close(); // as a crash: the entry stays until its expiry, nobody refreshes it
                    long ttl = Long.parseLong(redis.command("PTTL", "wsnetty:id:dave"));
                    assertTrue(ttl == -2 || ttl > 0 && ttl <= 900, "dave's entry expires, in " + ttl + " ms");
                    Await.until("dave's entry expired", () -> nodeOf(redis, "dave") == null);
                    assertFalse(staying.bridge.sendTo("dave", "too late").toCompletableFuture()
                            .get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
                    // erin's node kept refreshing: her entry's remaining time went up again, it is still there.
                    long first = Long.parseLong(redis.command("PTTL", "wsnetty:id:erin"));
                    Await.until("erin's entry refreshed", () -> pttl(redis, "erin") > first);
                    assertEquals(Long.toUnsignedString(staying.bridge.nodeId(), 16), nodeOf(redis, "erin"));
                } finally {
                    stopping.close(); // the bridge a second time: closing is idempotent
                }
            }
        }
    }

    private static long pttl(RedisServer redis, String id) {
        try {
            return Long.parseLong(redis.command("PTTL", "wsnetty:id:" + id));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String nodeOf(RedisServer redis, String id) {
        try {
            return redis.command("GET", "wsnetty:id:" + id);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
