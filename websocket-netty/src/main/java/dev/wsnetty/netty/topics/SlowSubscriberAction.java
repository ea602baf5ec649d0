package dev.wsnetty.netty.topics;

/** What {@link ChannelTopics} does with a subscriber whose queue is past {@link TopicsConfig#maxQueuedBytes()}. */
public enum SlowSubscriberAction {
    /**
     * Closes the connection with {@link TopicsConfig#slowSubscriberCloseCode()} and a reason that gives the bound:
     * the client learns that it missed messages and can reconnect. The default.
     */
    CLOSE,
    /**
     * Skips the subscriber for each message that does not fit, counting it ({@link ChannelTopics#droppedMessages()}
     * and per connection); the connection stays open and gets the messages published once its queue has drained.
     */
    DROP
}
