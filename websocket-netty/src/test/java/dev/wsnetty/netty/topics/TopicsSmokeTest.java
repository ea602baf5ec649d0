package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicsSmokeTest {
    @Test
    void publishReachesEverySubscriberInOrder() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start()) {
            List<Communicator> clients = new ArrayList<>();
            List<Communicator> serverSides = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                WebSocketClient client = new WebSocketClient("127.0.0.1", server.port(), "/");
                clients.add(client.connect());
                Communicator c = server.next();
                assertTrue(c.subscribe("room"));
                serverSides.add(c);
            }
            assertEquals(5, server.server().topics().subscriberCount("room"));
            for (int m = 0; m < 100; m++) {
                serverSides.get(0).topics().publish("room", "m" + m);
            }
            for (Communicator client : clients) {
                for (int m = 0; m < 100; m++) {
                    StringMessage got = client.waitForStringMessage(Duration.ofSeconds(5));
                    assertEquals("m" + m, got.data());
                }
            }
            clients.get(0).close();
            Await.until("unsubscribed on close", () -> server.server().topics().subscriberCount("room") == 4);
            server.server().topics().publishToAll("all");
            for (int i = 1; i < 5; i++) {
                assertEquals("all", clients.get(i).waitForStringMessage(Duration.ofSeconds(5)).data());
            }
        }
    }
}
