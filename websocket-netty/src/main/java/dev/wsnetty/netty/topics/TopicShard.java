package dev.wsnetty.netty.topics;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The subscribers of one topic on one event loop. The set is only touched on that loop; the member count is
 * raised by a subscribing thread before its join is queued (so that a publish that starts after
 * {@code subscribe} returned is queued for this loop too) and lowered on the loop when a leave is applied.
 */
final class TopicShard {
    private static final AtomicIntegerFieldUpdater<TopicShard> MEMBERS =
            AtomicIntegerFieldUpdater.newUpdater(TopicShard.class, "members");

    final LoopFanout loop;
    /** On {@link #loop} only. */
    final SubscriberSet set = new SubscriberSet();
    private volatile int members;

    TopicShard(LoopFanout loop) {
        this.loop = loop;
    }

    /** Whether a publish has anything to do on this loop. */
    boolean hasMembers() {
        return members > 0;
    }

    void joining() {
        MEMBERS.incrementAndGet(this);
    }

    void left() {
        MEMBERS.decrementAndGet(this);
    }
}
