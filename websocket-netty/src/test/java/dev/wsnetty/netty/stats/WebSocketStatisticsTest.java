package dev.wsnetty.netty.stats;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.topics.ChannelTopics;
import dev.wsnetty.netty.topics.SlowSubscriberAction;
import dev.wsnetty.netty.topics.TopicsConfig;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each figure of a server's and of the clients' {@link WebSocketStatistics} counts what it says, over real sockets. */
class WebSocketStatisticsTest {

    @Test
    void anEchoedConversationCountsItsMessagesBytesAndCloseCodes() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().echo().start()) {
            WebSocketStatistics statistics = server.server().statistics();
            try (RawClient client = RawClient.upgrade(server.port(), "/")) {
                Await.until("the connection counted as open", () -> statistics.snapshot().connectionsOpen() == 1);
                client.sendText("hello");                        // 5 bytes
                client.sendFrame(0x2, false, new byte[3]);       // a binary message in two frames: 3 + 4 bytes
                client.sendFrame(0x0, true, new byte[4]);
                assertEquals("hello", new String(client.readFrame().payload()));
                assertArrayEquals(new byte[7], client.readFrame().payload());
                client.sendClose(CloseCodes.NORMAL_CLOSURE, "");
                assertEquals(CloseCodes.NORMAL_CLOSURE, client.readUntilClose().closeCode());
                client.expectEndOfStream();
            }
            Await.until("the connection counted as closed", () -> statistics.snapshot().connectionsOpen() == 0);
            StatisticsSnapshot s = statistics.snapshot();
            assertEquals(1, s.connectionsOpened());
            assertEquals(1, s.handshakesAccepted());
            assertEquals(Map.of(), s.handshakesRefused());
            assertEquals(2, s.messagesIn());
            assertEquals(12, s.bytesIn());
            assertEquals(2, s.messagesOut());
            assertEquals(12, s.bytesOut());
            assertEquals(Map.of(CloseCodes.NORMAL_CLOSURE, 1L), s.closeCodesReceived());
            assertEquals(Map.of(CloseCodes.NORMAL_CLOSURE, 1L), s.closeCodesSent());
        }
    }

    @Test
    void refusedHandshakesAreCountedByStatus() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().echo().start()) {
            String host = "127.0.0.1:" + server.port();
            assertTrue(RawClient.exchange(server.port(), UpgradeRequest.to("/").header("Host", host)
                    .without("Sec-WebSocket-Version").toString()).startsWith("HTTP/1.1 426"));
            assertTrue(RawClient.exchange(server.port(), UpgradeRequest.to("/").header("Host", host)
                    .header("Origin", "http://elsewhere.example").toString()).startsWith("HTTP/1.1 403"));
            assertTrue(RawClient.exchange(server.port(), UpgradeRequest.to("/").header("Host", host)
                    .without("Sec-WebSocket-Key").toString()).startsWith("HTTP/1.1 400"));
            StatisticsSnapshot s = server.server().statistics().snapshot();
            assertEquals(Map.of(400, 1L, 403, 1L, 426, 1L), s.handshakesRefused());
            assertEquals(3, s.handshakesRefusedTotal());
            assertEquals(0, s.handshakesAccepted());
            assertEquals(0, s.connectionsOpened());
        }
    }

    @Test
    void aViolationCountsTheCloseCodeSentAndTheEcho() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().echo().start();
             RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.sendFrame(0x3, true, new byte[0]); // a reserved opcode: 1002
            assertEquals(CloseCodes.PROTOCOL_ERROR, client.readUntilClose().closeCode());
            client.expectEndOfStream(); // after a violation the server reads on only for the end of the stream
            WebSocketStatistics statistics = server.server().statistics();
            Await.until("the connection closed", () -> statistics.snapshot().connectionsOpen() == 0);
            StatisticsSnapshot s = statistics.snapshot();
            assertEquals(Map.of(CloseCodes.PROTOCOL_ERROR, 1L), s.closeCodesSent(), s.toString());
        }
    }

    @Test
    void inboundMemoryIsTheBudgetInUse() throws Exception {
        InboundMemoryBudget budget = InboundMemoryBudget.of(1 << 20);
        try (WebSocketServerFixture server = WebSocketServerFixture.builder()
                .configure(s -> s.setInboundMemoryBudget(budget)).start()) {
            WebSocketStatistics statistics = server.server().statistics();
            try (RawClient client = RawClient.upgrade(server.port(), "/")) {
                server.next();
                byte[] frame = Frames.client(Frames.BINARY, new byte[1000]);
                client.send(Arrays.copyOf(frame, 600)); // a frame cut short: held by the decoder
                Await.until("the unfinished frame counted", () -> statistics.snapshot().inboundMemoryUsed() > 0);
                assertEquals(budget.used(), statistics.snapshot().inboundMemoryUsed());
            }
            Await.until("nothing held once the connection ended", () -> statistics.snapshot().inboundMemoryUsed() == 0);
        }
    }

    @Test
    void topicSubscriptionsAndDroppedMessagesAreTheTopicsFigures() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient slow = RawClient.connect(server.port(), s -> setReceiveBuffer(s)).upgrade("/")) {
            ChannelTopics topics = server.server().topics();
            topics.setConfig(TopicsConfig.builder().maxQueuedBytes(64 * 1024)
                    .slowSubscriberAction(SlowSubscriberAction.DROP).build());
            Communicator side = server.next();
            assertTrue(side.subscribe("a"));
            assertTrue(side.subscribe("b"));
            WebSocketStatistics statistics = server.server().statistics();
            assertEquals(2, statistics.snapshot().topicSubscriptions());
            byte[] large = new byte[64 * 1024];
            Await.until("messages dropped for a client that does not read", () -> {
                topics.publish("a", large);
                return topics.droppedMessages() > 0;
            });
            StatisticsSnapshot s = statistics.snapshot();
            assertEquals(topics.droppedMessages(), s.topicMessagesDropped());
            assertTrue(side.unsubscribe("b"));
            assertEquals(1, statistics.snapshot().topicSubscriptions());
        }
    }

    @Test
    void clientConnectionsCountIntoTheClientsStatistics() throws Exception {
        WebSocketStatistics clients = WebSocketStatistics.allClients();
        StatisticsSnapshot before = clients.snapshot();
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().echo().start()) {
            Communicator communicator = new WebSocketClient("127.0.0.1", server.port(), "/").connect();
            communicator.writeStringMessage("four");
            assertEquals("four", ((StringMessage) communicator.waitForMessage()).data());
            communicator.close();
            Await.until("the client's connection ended", () -> !communicator.unwrap(Channel.class).isActive());
            Await.until("counted as closed",
                    () -> clients.snapshot().connectionsOpened() - clients.snapshot().connectionsOpen()
                            > before.connectionsOpened() - before.connectionsOpen());
        }
        StatisticsSnapshot after = clients.snapshot();
        assertEquals(1, after.handshakesAccepted() - before.handshakesAccepted());
        assertEquals(1, after.messagesOut() - before.messagesOut());
        assertEquals(4, after.bytesOut() - before.bytesOut());
        assertEquals(1, after.messagesIn() - before.messagesIn());
        assertEquals(4, after.bytesIn() - before.bytesIn());
        assertEquals(1, after.closeCodesSent().get(CloseCodes.NORMAL_CLOSURE)
                - before.closeCodesSent().getOrDefault(CloseCodes.NORMAL_CLOSURE, 0L));
    }

    private static void setReceiveBuffer(java.net.Socket socket) {
        try {
            socket.setReceiveBufferSize(4096);
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
    }
}
