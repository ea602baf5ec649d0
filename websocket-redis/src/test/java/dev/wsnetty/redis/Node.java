package dev.wsnetty.redis;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.topics.ChannelTopics;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One node of a test cluster: a {@code WebSocketServer} (through the fixture), its bridge to Redis, and client
 * connections to it whose server sides are subscribed to topics as the test says.
 */
final class Node implements AutoCloseable {
    final WebSocketServerFixture server;
    final RedisTopicsBridge bridge;
    final TextClients clients;
    final List<Communicator> sides;

    /** Starts a server, bridges it to {@code config}'s Redis, connects {@code clients} clients to it. */
    Node(RedisBridgeConfig config, int clients) {
        WebSocketServerFixture s = WebSocketServerFixture.builder().start();
        RedisTopicsBridge b = null;
        TextClients c = null;
        try {
            b = RedisTopicsBridge.start(s.server().topics(), config);
            c = TextClients.connect(s.port(), clients);
            this.sides = c.serverSides(s);
        } catch (RuntimeException | Error e) {
            if (c != null) {
                c.close();
            }
            if (b != null) {
                b.close();
            }
            s.close();
            throw e;
        }
        this.server = s;
        this.bridge = b;
        this.clients = c;
    }

    /** The server's topics. */
    ChannelTopics topics() {
        return server.server().topics();
    }

    /** Subscribes every client's server side to {@code topic}. */
    void subscribeAll(String topic) {
        for (Communicator c : sides) {
            assertTrue(c.subscribe(topic));
        }
    }

    @Override
    public void close() {
        clients.close();
        bridge.close();
        server.close();
    }
}
