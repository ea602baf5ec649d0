package dev.wsnetty;

/**
 * Named topics of a server: a connection subscribes to a topic ({@link Communicator#subscribe}), and one
 * {@code publish} sends a message to every subscriber. The message is encoded once, as one frame that all
 * subscribers share, and written on each connection's own I/O thread; the publisher never waits for a subscriber.
 * Every method is thread-safe and may be called from any thread, a handler thread or the I/O thread alike.
 *
 * <p>Order: the messages of one publisher (one thread, or calls ordered by the caller) reach each subscriber in
 * the order they were published. A subscription made before a publish call starts receives that message; one
 * removed before it does not. Messages a connection writes itself ({@link Communicator#writeStringMessage}) and
 * the messages it receives from topics are not ordered with each other.
 *
 * <p>Slow subscribers: each connection has a bound on the bytes queued for it. A subscriber that does not read
 * fast enough is, past that bound, either closed or skipped for the messages that do not fit, as the
 * transport's configuration says (on Netty {@code TopicsConfig}); the publisher and the other subscribers are
 * never held up by it. A topic that has no subscribers costs nothing: publishing to it does nothing.
 */
public interface Topics {
    /**
     * Sends a text message to every subscriber of {@code topic}; returns without waiting for any of them.
     *
     * @param topic the topic's name
     * @param text  the message
     */
    void publish(String topic, String text);

    /**
     * Sends a binary message to every subscriber of {@code topic}; returns without waiting for any of them. The
     * caller may reuse {@code data} as soon as this returns.
     *
     * @param topic the topic's name
     * @param data  the message
     */
    void publish(String topic, byte[] data);

    /**
     * Sends a text message to every connection of the server, subscribed to anything or not.
     *
     * @param text the message
     */
    void publishToAll(String text);

    /**
     * Sends a binary message to every connection of the server, subscribed to anything or not. The caller may
     * reuse {@code data} as soon as this returns.
     *
     * @param data the message
     */
    void publishToAll(byte[] data);

    /**
     * How many connections are subscribed to {@code topic} right now (0 for a topic nobody subscribed to).
     *
     * @param topic the topic's name
     */
    int subscriberCount(String topic);
}
