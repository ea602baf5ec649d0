package dev.wsnetty.netty.topics;

import dev.wsnetty.MessageType;
import io.netty.buffer.ByteBuf;

/**
 * What carries the topics of a {@link ChannelTopics} beyond this process, e.g. to the other servers of a cluster
 * through a broker (the {@code websocket-redis} module's bridge). Set with {@link ChannelTopics#setRelay}; the
 * relay hands what it receives from elsewhere back with {@link ChannelTopics#publishLocally}, which does not come
 * back here.
 *
 * <p>The methods are called on the thread that subscribed, unsubscribed or published, outside any lock of the
 * topics; they must not block. The first two are hints: calls from different threads may arrive in either order
 * (a topic may be opened by one thread while another is still reporting that it closed), so a relay reads
 * {@link ChannelTopics#subscriberCount} to learn what holds now.
 */
public interface TopicsRelay {
    /**
     * {@code topic} got its first local subscriber.
     *
     * @param topic the topic's name
     */
    void topicOpened(String topic);

    /**
     * {@code topic} lost its last local subscriber.
     *
     * @param topic the topic's name
     */
    void topicClosed(String topic);

    /**
     * A message was published to {@code topic} here (by {@code publish}, not {@code publishLocally}), whether or
     * not it has local subscribers; called before the local subscribers are served. An exception thrown here
     * (e.g. an {@link IllegalArgumentException} for a message too large to relay) propagates to the publisher, and
     * no subscriber gets the message.
     *
     * @param topic   the topic's name
     * @param type    {@link MessageType#STRING} or {@link MessageType#BINARY}
     * @param payload the message's bytes (UTF-8 for text), readable only during this call; not to be released
     */
    void published(String topic, MessageType type, ByteBuf payload);
}
