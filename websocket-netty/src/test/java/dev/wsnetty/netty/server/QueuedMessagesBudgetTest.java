package dev.wsnetty.netty.server;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.internal.InboundBudgets;
import dev.wsnetty.netty.internal.ServerLog;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages queued for a handler that has not taken them count in the server's inbound memory budget until they are
 * taken, whether the server has a budget of its own (set on each channel) or uses the JVM-wide shared one (nothing
 * set on the channel; the account is looked up when the first message is queued). Over a real socket.
 */
class QueuedMessagesBudgetTest {
    private static final int SIZE = 1000;

    @Test
    void queuedMessagesCountInTheServersOwnBudgetUntilTheHandlerTakesThem() throws Exception {
        InboundMemoryBudget budget = InboundMemoryBudget.of(1 << 20);
        try (WebSocketServerFixture fixture = WebSocketServerFixture.builder()
                .configure(server -> server.setInboundMemoryBudget(budget)).start();
             RawClient client = RawClient.upgrade(fixture.port(), "/")) {
            Communicator communicator = fixture.next();
            assertTrue(communicator.unwrap(Channel.class).hasAttr(InboundBudgets.BUDGET), "the server's own budget");
            sendAndTakeThree(client, communicator, budget, 0);
        }
        Await.until("nothing held once the connection ended", () -> budget.used() == 0);
    }

    @Test
    void withTheSharedBudgetTheChannelHasNoBudgetAttributeAndQueuedMessagesCountInTheSharedOne() throws Exception {
        InboundMemoryBudget shared = InboundMemoryBudget.shared();
        try (WebSocketServerFixture fixture = WebSocketServerFixture.builder().start();
             RawClient client = RawClient.upgrade(fixture.port(), "/")) {
            Communicator communicator = fixture.next();
            Channel channel = communicator.unwrap(Channel.class);
            assertFalse(channel.hasAttr(InboundBudgets.BUDGET));
            // Nor the server's log, which only TLS channels' handlers read (TlsLogFloodTest): no attribute at all.
            assertFalse(channel.hasAttr(ServerLog.KEY));
            // Other tests' connections may still hold bytes of the shared budget: counted from what it holds now.
            sendAndTakeThree(client, communicator, shared, shared.used());
        }
    }

    /** Sends three binary messages nobody takes yet, then takes them one by one, checking the budget each time. */
    private static void sendAndTakeThree(RawClient client, Communicator communicator, InboundMemoryBudget budget,
                                         long before) throws Exception {
        for (int i = 0; i < 3; i++) {
            client.sendBinary(payload(i));
        }
        Await.until("three queued messages counted", () -> budget.used() - before == 3 * SIZE);
        for (int i = 0; i < 3; i++) {
            WebSocketMessage taken = communicator.receiveMessage();
            assertArrayEquals(payload(i), ((BinaryMessage) taken).data());
            long left = 2L - i;
            Await.until("the taken message released", () -> budget.used() - before == left * SIZE);
        }
    }

    private static byte[] payload(int i) {
        byte[] data = new byte[SIZE];
        data[0] = (byte) i;
        return data;
    }
}
