package dev.wsnetty.redis;

import dev.wsnetty.netty.topics.ChannelTopics;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this node's Redis channel subscriptions equal to its topics with local subscribers: SUBSCRIBE when a topic
 * gets its first local subscriber, UNSUBSCRIBE when it loses its last. All its work runs on one thread (the
 * bridge's), so the commands for one topic go out in the order decided; a topic's state is read from the
 * {@link ChannelTopics} when the work runs, not taken from the event that asked for it, since events from
 * different threads may come out of order. A command that fails (Redis unreachable) is sent again after
 * {@code retryDelay}, until it succeeds or the state changed again.
 */
final class RedisSubscriptions {
    private final ChannelTopics topics;
    private final RedisPubSubAsyncCommands<String, byte[]> pubsub;
    private final ScheduledExecutorService thread;
    private final String topicPrefix;
    private final long retryDelayMillis;
    /** The topics this node wants from Redis; on {@link #thread} only. */
    private final Set<String> wanted = new HashSet<>();

    RedisSubscriptions(ChannelTopics topics, RedisPubSubAsyncCommands<String, byte[]> pubsub,
            ScheduledExecutorService thread, String topicPrefix, Duration retryDelay) {
        this.topics = topics;
        this.pubsub = pubsub;
        this.thread = thread;
        this.topicPrefix = topicPrefix;
        this.retryDelayMillis = retryDelay.toMillis();
    }

    /** {@code topic}'s local subscribers may have changed between none and some; any thread. */
    void changed(String topic) {
        try {
            thread.execute(() -> reconcile(topic));
        } catch (RejectedExecutionException closed) {
            // The bridge closed: its connection and all its subscriptions are gone.
        }
    }

    /** Sends SUBSCRIBE again for every wanted topic, e.g. after a reconnection; any thread. */
    void resubscribeAll() {
        try {
            thread.execute(() -> {
                for (String topic : wanted) {
                    send(topic, true);
                }
            });
        } catch (RejectedExecutionException closed) {
            // The bridge closed.
        }
    }

    private void reconcile(String topic) {
        boolean want = topics.subscriberCount(topic) > 0;
        if (want ? wanted.add(topic) : wanted.remove(topic)) {
            send(topic, want);
        }
    }

    private void send(String topic, boolean subscribe) {
        String channel = topicPrefix + topic;
        RedisFuture<Void> sent = subscribe ? pubsub.subscribe(channel) : pubsub.unsubscribe(channel);
        sent.whenComplete((ok, failure) -> {
            if (failure != null) {
                try {
                    thread.schedule(() -> retry(topic), retryDelayMillis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    // The bridge closed meanwhile.
                }
            }
        });
    }

    /** After a failed command: decides again, and sends the command for the state wanted now. */
    private void retry(String topic) {
        boolean want = topics.subscriberCount(topic) > 0;
        if (want) {
            wanted.add(topic);
        } else {
            wanted.remove(topic);
        }
        send(topic, want);
    }
}
