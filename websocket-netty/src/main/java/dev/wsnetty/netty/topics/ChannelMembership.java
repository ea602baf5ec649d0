package dev.wsnetty.netty.topics;

import dev.wsnetty.Topics;
import dev.wsnetty.spi.TopicMembership;
import io.netty.channel.Channel;

import java.util.Set;

/** One channel's side of a {@link ChannelTopics}, for the blocking API's communicator. */
final class ChannelMembership implements TopicMembership {
    private final ChannelTopics topics;
    private final Channel channel;

    ChannelMembership(ChannelTopics topics, Channel channel) {
        this.topics = topics;
        this.channel = channel;
    }

    @Override
    public boolean subscribe(String topic) {
        return topics.subscribe(channel, topic);
    }

    @Override
    public boolean unsubscribe(String topic) {
        return topics.unsubscribe(channel, topic);
    }

    @Override
    public Set<String> subscriptions() {
        return topics.subscriptions(channel);
    }

    @Override
    public Topics topics() {
        return topics;
    }
}
