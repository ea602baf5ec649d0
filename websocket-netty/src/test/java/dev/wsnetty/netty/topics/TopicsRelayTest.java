package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.MessageType;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.topics.SubscriberClients.Received;
import dev.wsnetty.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hook that carries topics beyond the process: the relay hears of a topic's first and last local subscriber
 * and of every message published (intact, at every frame-header size), may refuse a publication before anyone gets
 * it, and {@code publishLocally} serves the local subscribers without reporting back to the relay.
 */
class TopicsRelayTest {
    /** Records what it is told; refuses messages longer than {@code limit}. */
    private static final class RecordingRelay implements TopicsRelay {
        final List<String> events = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        int limit = Integer.MAX_VALUE;

        @Override
        public synchronized void topicOpened(String topic) {
            events.add("opened " + topic);
        }

        @Override
        public synchronized void topicClosed(String topic) {
            events.add("closed " + topic);
        }

        @Override
        public synchronized void published(String topic, MessageType type, ByteBuf payload) {
            if (payload.readableBytes() > limit) {
                throw new IllegalArgumentException("too large: " + payload.readableBytes());
            }
            events.add("published " + topic + " " + type + " " + payload.readableBytes());
            payloads.add(ByteBufUtil.getBytes(payload));
        }

        synchronized List<String> events() {
            return new ArrayList<>(events);
        }
    }

    @Test
    void theRelayHearsOfTheFirstAndLastSubscriberOnly() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), 2)) {
            RecordingRelay relay = new RecordingRelay();
            server.server().topics().setRelay(relay);
            List<Communicator> sides = clients.serverSides(server);
            assertTrue(sides.get(0).subscribe("news"));
            assertTrue(sides.get(1).subscribe("news"));
            assertEquals(List.of("opened news"), relay.events());
            assertTrue(sides.get(0).unsubscribe("news"));
            assertEquals(List.of("opened news"), relay.events());
            sides.get(1).close(1000, "bye"); // the close, not an unsubscribe, ends the last subscription
            Await.until("the topic closed", () -> relay.events().size() == 2);
            assertEquals(List.of("opened news", "closed news"), relay.events());
        }
    }

    @Test
    void everyPublicationReachesTheRelayIntactWithOrWithoutSubscribers() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), 1)) {
            ChannelTopics topics = server.server().topics();
            RecordingRelay relay = new RecordingRelay();
            topics.setRelay(relay);
            assertTrue(clients.serverSides(server).get(0).subscribe("news"));
            // Payload lengths for each header size: 7-bit, 16-bit and 64-bit lengths.
            byte[] small = bytes(5);
            byte[] medium = bytes(300);
            byte[] large = bytes(70_000);
            topics.publish("news", "héllo");
            topics.publish("news", medium);
            topics.publish("news", MessageType.BINARY, Unpooled.wrappedBuffer(large));
            topics.publish("nobody", small);
            assertEquals(List.of("opened news", "published news STRING 6", "published news BINARY 300",
                    "published news BINARY 70000", "published nobody BINARY 5"), relay.events());
            assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), relay.payloads.get(0));
            assertArrayEquals(medium, relay.payloads.get(1));
            assertArrayEquals(large, relay.payloads.get(2));
            assertArrayEquals(small, relay.payloads.get(3));
            List<Received> expected = List.of(Received.text("héllo"), Received.binary(medium), Received.binary(large));
            Await.until("3 messages", () -> clients.count(0) >= 3);
            assertEquals(expected, clients.received(0));
        }
    }

    @Test
    void aPublicationTheRelayRefusesReachesNoSubscriber() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), 1)) {
            ChannelTopics topics = server.server().topics();
            RecordingRelay relay = new RecordingRelay();
            relay.limit = 10;
            topics.setRelay(relay);
            assertTrue(clients.serverSides(server).get(0).subscribe("news"));
            IllegalArgumentException refused =
                    assertThrows(IllegalArgumentException.class, () -> topics.publish("news", bytes(11)));
            assertEquals("too large: 11", refused.getMessage());
            topics.publish("news", "after");
            Await.until("1 message", () -> clients.count(0) >= 1);
            assertEquals(List.of(Received.text("after")), clients.received(0));
        }
    }

    @Test
    void publishLocallyServesLocalSubscribersWithoutTheRelay() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), 1)) {
            ChannelTopics topics = server.server().topics();
            RecordingRelay relay = new RecordingRelay();
            topics.setRelay(relay);
            assertTrue(clients.serverSides(server).get(0).subscribe("news"));
            topics.publishLocally("news", MessageType.STRING,
                    Unpooled.copiedBuffer("from afar", StandardCharsets.UTF_8));
            topics.publishLocally("news", MessageType.BINARY, Unpooled.wrappedBuffer(bytes(3)));
            topics.publishLocally("nobody", MessageType.BINARY, Unpooled.wrappedBuffer(bytes(3)));
            Await.until("2 messages", () -> clients.count(0) >= 2);
            assertEquals(List.of(Received.text("from afar"), Received.binary(bytes(3))), clients.received(0));
            assertEquals(List.of("opened news"), relay.events());
            assertThrows(IllegalArgumentException.class,
                    () -> topics.publishLocally("news", MessageType.CLOSE, Unpooled.EMPTY_BUFFER));
        }
    }

    private static byte[] bytes(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
