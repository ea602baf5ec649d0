package dev.wsnetty.netty.topics;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One channel's membership in a {@link ChannelTopics}: which topics it is subscribed to (guarded by this object's
 * lock, changed by any thread), its state on its loop (written to in this pass, closed for being slow) and the
 * messages dropped for it. Made by the channel's first subscribe or register; when the channel closes it leaves
 * everything it joined.
 */
final class Subscriber implements ChannelFutureListener {
    private static final Topic[] NONE = new Topic[0];

    final Channel channel;
    final LoopFanout loop;
    /** Spreads the identity hash over the set's slots. */
    final int hash;
    private final ChannelTopics owner;

    // Guarded by this.
    private Topic[] topics = NONE;
    private int topicCount;
    private boolean everyone;
    private boolean closed;

    // On the loop only.
    private boolean written;
    /** Closed for being slow: nothing more is written to it. */
    boolean failed;
    /** Messages skipped by the DROP policy; written on the loop, read anywhere. */
    volatile long dropped;

    Subscriber(ChannelTopics owner, Channel channel, LoopFanout loop) {
        this.owner = owner;
        this.channel = channel;
        this.loop = loop;
        this.hash = System.identityHashCode(this) * 0x9E3779B9 >>> 1;
    }

    /** Joins {@code topic} unless already in it or closed; the caller has acquired the topic for it. */
    synchronized boolean join(Topic topic) {
        if (closed || indexOf(topic.name) >= 0) {
            return false;
        }
        if (topicCount == topics.length) {
            topics = Arrays.copyOf(topics, Math.max(2, topicCount * 2));
        }
        topics[topicCount++] = topic;
        queueJoin(topic);
        return true;
    }

    /** Joins the group of every registered connection. */
    synchronized boolean joinEveryone(Topic group) {
        if (closed || everyone) {
            return false;
        }
        everyone = true;
        queueJoin(group);
        return true;
    }

    /** Leaves the topic named {@code name}; returns it (for the registry to release), or null if not in it. */
    synchronized Topic leave(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        Topic topic = topics[i];
        topics[i] = topics[--topicCount];
        topics[topicCount] = null;
        loop.leave(topic.shard(loop), this);
        return topic;
    }

    /** The names of the topics it is in. */
    synchronized Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < topicCount; i++) {
            names.add(topics[i].name);
        }
        return names;
    }

    /** The channel closed: leaves every topic and the group; later joins are refused. */
    @Override
    public void operationComplete(ChannelFuture closed) {
        List<Topic> left = new ArrayList<>();
        synchronized (this) {
            this.closed = true;
            for (int i = 0; i < topicCount; i++) {
                left.add(topics[i]);
                loop.leave(topics[i].shard(loop), this);
            }
            topics = NONE;
            topicCount = 0;
            if (everyone) {
                everyone = false;
                loop.leave(owner.everyone().shard(loop), this);
            }
        }
        owner.released(left);
    }

    /** Records that this pass wrote to it; once per pass. */
    void markWritten(List<Subscriber> writtenThisPass) {
        if (!written) {
            written = true;
            writtenThisPass.add(this);
        }
    }

    /** The pass's one flush. */
    void flush() {
        written = false;
        channel.flush();
    }

    private void queueJoin(Topic topic) {
        TopicShard shard = topic.shard(loop);
        shard.joining();
        loop.join(shard, this);
    }

    private int indexOf(String name) {
        for (int i = 0; i < topicCount; i++) {
            if (topics[i].name.equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
