package dev.wsnetty.micrometer;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WebSocketMetrics} in a {@link SimpleMeterRegistry}, fed by a real server and a raw client. */
class WebSocketMetricsTest {
    @Test
    void theMetersShowTheServersStatistics() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().echo().start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new WebSocketMetrics(server.server().statistics(), Tags.of("server", "test")).bindTo(registry);
            try (RawClient client = RawClient.upgrade(server.port(), "/")) {
                Await.until("one connection open", () -> registry.get("wsnetty.connections.open")
                        .tag("server", "test").gauge().value() == 1);
                client.sendText("hello");
                assertEquals("hello", new String(client.readFrame().payload()));
                client.sendClose(4000, "");
                assertEquals(4000, client.readUntilClose().closeCode());
                client.expectEndOfStream();
            }
            String refused = RawClient.exchange(server.port(), UpgradeRequest.to("/")
                    .header("Host", "127.0.0.1:" + server.port()).without("Sec-WebSocket-Version").toString());
            assertTrue(refused.startsWith("HTTP/1.1 426"), refused);
            Await.until("the connection closed", () -> registry.get("wsnetty.connections.open").gauge().value() == 0);

            assertEquals(1, registry.get("wsnetty.connections.opened").functionCounter().count());
            assertEquals(1, registry.get("wsnetty.handshakes.accepted").functionCounter().count());
            assertEquals(1, registry.get("wsnetty.handshakes.refused").tag("status", "426")
                    .functionCounter().count());
            assertEquals(0, registry.get("wsnetty.handshakes.refused").tag("status", "other")
                    .functionCounter().count());
            assertEquals(1, registry.get("wsnetty.messages").tag("direction", "in").functionCounter().count());
            assertEquals(1, registry.get("wsnetty.messages").tag("direction", "out").functionCounter().count());
            assertEquals(5, registry.get("wsnetty.payload").tag("direction", "in").functionCounter().count());
            assertEquals(5, registry.get("wsnetty.payload").tag("direction", "out").functionCounter().count());
            // 4000 is an application's code: counted under "other", both ways (the server echoes it).
            assertEquals(1, registry.get("wsnetty.close.frames").tags("direction", "received", "code", "other")
                    .functionCounter().count());
            assertEquals(1, registry.get("wsnetty.close.frames").tags("direction", "sent", "code", "other")
                    .functionCounter().count());
            assertEquals(0, registry.get("wsnetty.close.frames").tags("direction", "sent",
                    "code", Integer.toString(CloseCodes.NORMAL_CLOSURE)).functionCounter().count());
            assertEquals(0, registry.get("wsnetty.inbound.memory").gauge().value());
            assertEquals(0, registry.get("wsnetty.topics.subscriptions").gauge().value());
            assertEquals(0, registry.get("wsnetty.topics.dropped").functionCounter().count());
        }
    }
}
