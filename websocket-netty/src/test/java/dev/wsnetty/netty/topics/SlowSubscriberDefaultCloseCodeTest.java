package dev.wsnetty.netty.topics;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * wsnetty's own client as a slow subscriber under the default policy: it should learn that it was closed with 1013
 * (try again later), the default close code, which
 * it accepts as RFC 6455's IANA registry does.
 */
class SlowSubscriberDefaultCloseCodeTest {
    @Test
    void ourClientLearnsTheDefaultCloseCode() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), 2)) {
            ChannelTopics topics = server.server().topics();
            topics.setConfig(TopicsConfig.builder().maxQueuedBytes(SlowSubscriberTest.BOUND).build());
            for (Communicator c : clients.serverSides(server)) {
                assertTrue(c.subscribe("feed"));
            }
            Channel slowClient = clients.channel(0);
            slowClient.config().setAutoRead(false);
            SlowSubscriberTest.publishUntil(topics, () -> clients.count(1), () -> topics.slowSubscribersClosed() == 1);
            slowClient.config().setAutoRead(true);
            Await.until("the slow client's connection ended", () -> !slowClient.isActive());
            assertEquals(CloseCodes.TRY_AGAIN_LATER, clients.closeCode(0), "the close code the client received");
        }
    }
}
