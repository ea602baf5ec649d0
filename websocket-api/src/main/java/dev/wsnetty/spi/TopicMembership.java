package dev.wsnetty.spi;

import dev.wsnetty.Topics;

import java.util.Set;

/**
 * One connection's side of its server's {@link Topics}, which a {@link Transport} provides so that the
 * {@link QueuedCommunicator} can offer {@code subscribe} and {@code unsubscribe}. Thread-safe.
 */
public interface TopicMembership {
    /**
     * Subscribes the connection to {@code topic}.
     *
     * @param topic the topic's name, not empty
     * @return true if it was not subscribed before
     */
    boolean subscribe(String topic);

    /**
     * Ends the connection's subscription to {@code topic}.
     *
     * @param topic the topic's name
     * @return true if it was subscribed
     */
    boolean unsubscribe(String topic);

    /** The topics the connection is subscribed to, a snapshot. */
    Set<String> subscriptions();

    /** The topics the connection belongs to, to publish to. */
    Topics topics();
}
