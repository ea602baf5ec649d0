package dev.wsnetty.netty.server;

import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WebSocketServer#setInboundMemoryBudget}: its connections count in the budget it is given, over a real
 * socket. A connection that buffers more than the whole budget is closed with 1013 and a reason, and what it held is
 * released; the next connection is served.
 */
class InboundMemoryBudgetServerTest {
    @Test
    void aConnectionOverTheServersBudgetIsClosedWith1013() throws Exception {
        InboundMemoryBudget budget = InboundMemoryBudget.of(16 * 1024);
        try (WebSocketServerFixture fixture = WebSocketServerFixture.builder().echo()
                .configure(server -> server.setInboundMemoryBudget(budget)).start()) {
            assertSame(budget, fixture.server().inboundMemoryBudget());
            assertThrows(IllegalStateException.class,
                    () -> fixture.server().setInboundMemoryBudget(InboundMemoryBudget.of(1 << 20)));
            try (RawClient client = RawClient.upgrade(fixture.port(), "/")) {
                // Half of a 60,000-byte frame, whose buffer (it is passed on whole) has the frame's size at once:
                // more than the 16,384-byte budget.
                byte[] frame = client(BINARY, new byte[60_000]);
                client.send(Arrays.copyOf(frame, 30_000));
                WireFrame close = client.readUntilClose();
                assertEquals(1013, close.closeCode());
                assertTrue(close.closeReason().startsWith("server over its inbound memory budget"),
                        close.closeReason());
            }
            Await.until("the closed connection's bytes are released", () -> budget.used() == 0);
            try (RawClient client = RawClient.upgrade(fixture.port(), "/")) {
                client.sendText("still served");
                assertEquals("still served", client.readFrame().text());
            }
        }
        assertThrows(NullPointerException.class, () -> new WebSocketServer(0).setInboundMemoryBudget(null));
    }
}
