package dev.wsnetty.netty.topics;

import java.util.Arrays;

/**
 * One topic of a {@link ChannelTopics}: how many connections are subscribed, and its subscribers split by event
 * loop ({@link TopicShard}), so that a publish hands the message to each loop once. It lives in the registry while
 * it has subscribers; the last one to leave removes it, so a topic nobody listens to costs nothing.
 */
final class Topic {
    private static final TopicShard[] NO_SHARDS = new TopicShard[0];

    /** The name; null for the group of every registered connection, which is never removed. */
    final String name;
    /** The subscriptions, counted by the registry inside its map's {@code compute}; read by anyone. */
    volatile int subscribers;
    /** Indexed by {@link LoopFanout#index}; grown, never shrunk, under this object's lock. */
    private volatile TopicShard[] shards = NO_SHARDS;

    Topic(String name) {
        this.name = name;
    }

    /** The shards; a slot is null for a loop that never had a subscriber of this topic. */
    TopicShard[] shards() {
        return shards;
    }

    /** The shard of {@code loop}, made on first use. */
    TopicShard shard(LoopFanout loop) {
        TopicShard[] s = shards;
        if (loop.index < s.length && s[loop.index] != null) {
            return s[loop.index];
        }
        synchronized (this) {
            s = shards;
            if (loop.index >= s.length) {
                s = Arrays.copyOf(s, loop.index + 1);
            } else if (s[loop.index] != null) {
                return s[loop.index];
            } else {
                s = s.clone();
            }
            TopicShard made = new TopicShard(loop);
            s[loop.index] = made;
            shards = s;
            return made;
        }
    }

    @Override
    public String toString() {
        return name == null ? "every connection" : "topic '" + name + "'";
    }
}
