package dev.wsnetty.netty.topics;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageType;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the topics API refuses, and how it says so: topics on a client connection, bad policy settings, missing or
 * empty topic names, message types that cannot be published; and a closed channel that cannot subscribe.
 */
class TopicsArgumentsTest {
    private final ChannelTopics topics = new ChannelTopics();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {1});

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
        payload.release();
    }

    @Test
    void aClientConnectionHasNoTopics() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start()) {
            Communicator client = new WebSocketClient("127.0.0.1", server.port(), "/").connectOrThrow();
            try {
                for (Executable call : new Executable[] {
                        () -> client.subscribe("room"), () -> client.unsubscribe("room"), client::topics}) {
                    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, call);
                    assertTrue(e.getMessage().contains("has no topics: they belong to a server's connections"),
                            e.getMessage());
                }
                assertEquals(Set.of(), client.subscriptions());
            } finally {
                client.close();
            }
        }
    }

    @Test
    void theDefaultPolicy() {
        TopicsConfig config = TopicsConfig.DEFAULT;
        assertEquals(1 << 20, config.maxQueuedBytes());
        assertEquals(TopicsConfig.DEFAULT_MAX_QUEUED_BYTES, config.maxQueuedBytes());
        assertEquals(SlowSubscriberAction.CLOSE, config.slowSubscriberAction());
        assertEquals(CloseCodes.TRY_AGAIN_LATER, config.slowSubscriberCloseCode());
        assertEquals(config.toString(), TopicsConfig.builder().build().toString());
        assertEquals(TopicsConfig.DEFAULT, new ChannelTopics().config());
    }

    @Test
    void thePolicyBuilderRefusesBadValuesNamingThem() {
        TopicsConfig.Builder b = TopicsConfig.builder();
        assertMessage("maxQueuedBytes must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxQueuedBytes(0)));
        assertMessage("maxQueuedBytes must be at least 1, not -5",
                assertThrows(IllegalArgumentException.class, () -> b.maxQueuedBytes(-5)));
        assertMessage("slowSubscriberCloseCode must be 1013 (try again later) or 1008 (policy violation), not 1000",
                assertThrows(IllegalArgumentException.class, () -> b.slowSubscriberCloseCode(1000)));
        assertMessage("action", assertThrows(NullPointerException.class, () -> b.slowSubscriberAction(null)));
        TopicsConfig built = b.maxQueuedBytes(1).slowSubscriberAction(SlowSubscriberAction.DROP)
                .slowSubscriberCloseCode(CloseCodes.POLICY_VIOLATION).build();
        assertEquals(1, built.maxQueuedBytes());
        assertEquals(SlowSubscriberAction.DROP, built.slowSubscriberAction());
        assertEquals(CloseCodes.POLICY_VIOLATION, built.slowSubscriberCloseCode());
        assertMessage("config", assertThrows(NullPointerException.class, () -> new ChannelTopics(null)));
        assertMessage("config", assertThrows(NullPointerException.class, () -> topics.setConfig(null)));
    }

    @Test
    void topicNamesMustBeGivenAndNotEmpty() {
        Executable[] nullName = {
            () -> topics.subscribe(channel, null), () -> topics.unsubscribe(channel, null),
            () -> topics.publish(null, "x"), () -> topics.publish(null, new byte[1]),
            () -> topics.publish(null, MessageType.STRING, payload), () -> topics.subscriberCount(null)};
        for (Executable call : nullName) {
            assertMessage("topic", assertThrows(NullPointerException.class, call));
        }
        Executable[] emptyName = {
            () -> topics.subscribe(channel, ""), () -> topics.unsubscribe(channel, ""),
            () -> topics.publish("", "x"), () -> topics.publish("", new byte[1]),
            () -> topics.publish("", MessageType.STRING, payload), () -> topics.subscriberCount("")};
        for (Executable call : emptyName) {
            assertMessage("a topic's name must not be empty", assertThrows(IllegalArgumentException.class, call));
        }
        assertEquals(0, topics.topicCount());
        assertEquals(Set.of(), topics.subscriptions(channel));
    }

    @Test
    void messagesMustBeGivenAndTextOrBinary() {
        assertMessage("text", assertThrows(NullPointerException.class, () -> topics.publish("t", (String) null)));
        assertMessage("data", assertThrows(NullPointerException.class, () -> topics.publish("t", (byte[]) null)));
        assertMessage("payload", assertThrows(NullPointerException.class,
                () -> topics.publish("t", MessageType.STRING, null)));
        assertMessage("text", assertThrows(NullPointerException.class, () -> topics.publishToAll((String) null)));
        assertMessage("data", assertThrows(NullPointerException.class, () -> topics.publishToAll((byte[]) null)));
        assertMessage("payload", assertThrows(NullPointerException.class,
                () -> topics.publishToAll(MessageType.BINARY, null)));
        assertTrue(topics.subscribe(channel, "t"));
        assertMessage("only STRING and BINARY messages can be published, not PING",
                assertThrows(IllegalArgumentException.class, () -> topics.publish("t", MessageType.PING, payload)));
        assertMessage("only STRING and BINARY messages can be published, not PING",
                assertThrows(IllegalArgumentException.class, () -> topics.publishToAll(MessageType.PING, payload)));
        assertMessage("type", assertThrows(NullPointerException.class, () -> topics.publish("t", null, payload)));
        assertEquals(1, payload.refCnt(), "a refused publication leaves the caller's buffer alone");
    }

    @Test
    void aClosedChannelCannotSubscribeOrRegister() {
        channel.close();
        assertFalse(topics.subscribe(channel, "t"));
        assertFalse(topics.register(channel));
        assertEquals(0, topics.subscriberCount("t"));
        assertEquals(0, topics.topicCount());
        assertEquals(Set.of(), topics.subscriptions(channel));
        assertFalse(topics.unsubscribe(channel, "t"));
        assertEquals(0, topics.droppedMessages(channel));
    }

    private static void assertMessage(String expected, Throwable thrown) {
        assertEquals(expected, thrown.getMessage());
    }
}
