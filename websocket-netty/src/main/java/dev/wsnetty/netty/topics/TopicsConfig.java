package dev.wsnetty.netty.topics;

import dev.wsnetty.CloseCodes;

import java.util.Objects;

/**
 * The slow-subscriber policy of a {@link ChannelTopics}. Immutable; build one with {@link #builder()} or use
 * {@link #DEFAULT}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code maxQueuedBytes}</td><td>1 MiB</td><td>the bytes that may wait in one connection's outbound
 *       queue (everything written to it and not yet taken by the socket, topic messages and its own writes alike)
 *       before a topic message is refused to it. A message always goes to an empty queue, however large. Topic
 *       frames are shared by all subscribers, so the bound limits how far a subscriber may lag, not memory per
 *       subscriber: a lagging one holds references to frames the others have long sent</td></tr>
 *   <tr><td>{@code slowSubscriberAction}</td><td>{@link SlowSubscriberAction#CLOSE}</td><td>a subscriber that
 *       silently misses messages cannot tell; closed, it knows and can reconnect and resynchronise</td></tr>
 *   <tr><td>{@code slowSubscriberCloseCode}</td><td>1013 (Try Again Later)</td><td>the server is fine, the client
 *       fell behind; 1008 (Policy Violation) is the other choice</td></tr>
 * </table>
 */
public final class TopicsConfig {
    /** The default {@code maxQueuedBytes}: 1 MiB. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 1 << 20;

    /** The defaults listed in the class description. */
    public static final TopicsConfig DEFAULT = builder().build();

    private final long maxQueuedBytes;
    private final SlowSubscriberAction slowSubscriberAction;
    private final int slowSubscriberCloseCode;

    private TopicsConfig(Builder b) {
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.slowSubscriberAction = b.slowSubscriberAction;
        this.slowSubscriberCloseCode = b.slowSubscriberCloseCode;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bytes that may be queued for one connection before a topic message is refused to it. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** What happens to a subscriber past {@link #maxQueuedBytes()}. */
    public SlowSubscriberAction slowSubscriberAction() {
        return slowSubscriberAction;
    }

    /** The close code of a subscriber closed for being slow: 1013 or 1008. */
    public int slowSubscriberCloseCode() {
        return slowSubscriberCloseCode;
    }

    @Override
    public String toString() {
        return "TopicsConfig{maxQueuedBytes=" + maxQueuedBytes + ", slowSubscriberAction=" + slowSubscriberAction
                + ", slowSubscriberCloseCode=" + slowSubscriberCloseCode + '}';
    }

    /** Builds a {@link TopicsConfig}; starts from the defaults. */
    public static final class Builder {
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private SlowSubscriberAction slowSubscriberAction = SlowSubscriberAction.CLOSE;
        private int slowSubscriberCloseCode = CloseCodes.TRY_AGAIN_LATER;

        private Builder() {
        }

        /**
         * The bytes that may be queued for one connection before a topic message is refused to it; at least 1.
         *
         * @param bytes the bound
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxQueuedBytes must be at least 1, not " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * What happens to a subscriber past the bound.
         *
         * @param action {@link SlowSubscriberAction#CLOSE} or {@link SlowSubscriberAction#DROP}
         */
        public Builder slowSubscriberAction(SlowSubscriberAction action) {
            this.slowSubscriberAction = Objects.requireNonNull(action, "action");
            return this;
        }

        /**
         * The close code for a slow subscriber closed by {@link SlowSubscriberAction#CLOSE}.
         *
         * @param code {@link CloseCodes#TRY_AGAIN_LATER} (1013) or {@link CloseCodes#POLICY_VIOLATION} (1008)
         */
        public Builder slowSubscriberCloseCode(int code) {
            if (code != CloseCodes.TRY_AGAIN_LATER && code != CloseCodes.POLICY_VIOLATION) {
                throw new IllegalArgumentException("slowSubscriberCloseCode must be 1013 (try again later) or 1008"
                        + " (policy violation), not " + code);
            }
            this.slowSubscriberCloseCode = code;
            return this;
        }

        /** The configuration. */
        public TopicsConfig build() {
            return new TopicsConfig(this);
        }
    }
}
