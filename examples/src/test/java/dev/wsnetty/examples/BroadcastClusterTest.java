package dev.wsnetty.examples;

import dev.wsnetty.redis.testing.RedisServer;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static dev.wsnetty.examples.RunningExample.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two broadcast servers started with {@code --redis} on one real redis-server share one chat: a client of either
 * sees the other's joins and messages; a Redis that cannot be reached is reported and the server does not start.
 */
class BroadcastClusterTest {
    private static final String CHANNEL = "wsnetty:topic:" + BroadcastHandler.TOPIC;

    @Test
    void twoServersOnOneRedisShareOneChat() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RunningExample first = RunningExample.broadcastServer("--redis", redis.uri());
             RunningExample second = RunningExample.broadcastServer("--redis", redis.uri())) {
            first.console.out.await("Joined the broadcast servers on Redis 127.0.0.1:" + redis.port(), TIMEOUT);
            try (Peer bob = Peer.connect(second.url("/ws"))) {
                String b = "Anonymous at 127.0.0.1:" + bob.localPort();
                bob.await("[" + b + "] joined the broadcast", TIMEOUT);
                awaitSubscribedServers(redis, 1);
                try (Peer alice = Peer.connect(first.url("/ws"))) {
                    String a = "Anonymous at 127.0.0.1:" + alice.localPort();
                    bob.await("[" + a + "] joined the broadcast", TIMEOUT);
                    awaitSubscribedServers(redis, 2);
                    bob.communicator.writeStringMessage("hello from the second server");
                    alice.await("[" + b + "] says: hello from the second server", TIMEOUT);
                    alice.communicator.writeStringMessage("hello from the first");
                    bob.await("[" + a + "] says: hello from the first", TIMEOUT);
                    first.console.out.await("Broadcasting: [" + a + "] says: hello from the first", TIMEOUT);
                }
            }
        }
    }

    @Test
    void aRedisThatCannotBeReachedIsReportedAndTheServerDoesNotStart() throws Exception {
        int nothingThere;
        try (ServerSocket s = new ServerSocket(0)) {
            nothingThere = s.getLocalPort();
        }
        ScriptedConsole console = new ScriptedConsole();
        BroadcastServer server = new BroadcastServer(ExampleOptions.parse(ExampleKind.BROADCAST_SERVER,
                "--host", "127.0.0.1", "--port", "0", "--redis", "redis://127.0.0.1:" + nothingThere), console.console);
        assertEquals(1, server.run());
        console.err.awaitStartingWith("Broadcast server: cannot reach Redis at 127.0.0.1:" + nothingThere, TIMEOUT);
    }

    /** Waits until {@code count} servers are subscribed to the broadcast topic's Redis channel. */
    private static void awaitSubscribedServers(RedisServer redis, int count) {
        Await.until(count + " servers subscribed in Redis", () -> {
            try {
                return (CHANNEL + " " + count).equals(redis.command("PUBSUB", "NUMSUB", CHANNEL));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
