package dev.wsnetty.netty.topics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;

import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The work of one {@link ChannelTopics} on one event loop: a lock-free queue of joins, leaves and publications
 * that any thread appends to, drained by one task on the loop. Because joins, leaves and publications share the
 * queue, each subscriber sees them in the order they were made. A drain writes every publication to the loop's
 * subscribers of its topic and then flushes each channel it wrote to once: many messages, one flush per channel
 * per pass. Publishers only append, so they never wait for a subscriber.
 */
final class LoopFanout implements Runnable {
    private static final AtomicIntegerFieldUpdater<LoopFanout> SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(LoopFanout.class, "scheduled");
    /** Commands applied per pass before the loop's other tasks and I/O get their turn. */
    private static final int PASS_LIMIT = 1024;

    final EventLoop loop;
    /** This loop's slot in every {@link Topic}'s shards. */
    final int index;
    private final Delivery delivery;
    private final Queue<Command> queue = PlatformDependent.newMpscQueue();
    /** Subscribers written to in this pass, flushed at its end; on the loop only. */
    private final ArrayList<Subscriber> written = new ArrayList<>();
    private volatile int scheduled;

    LoopFanout(EventLoop loop, int index, Delivery delivery) {
        this.loop = loop;
        this.index = index;
        this.delivery = delivery;
    }

    /** Queues {@code s} to join {@code shard}; the caller has counted it in already. */
    void join(TopicShard shard, Subscriber s) {
        submit(new Command(shard, s, null));
    }

    /** Queues {@code s} to leave {@code shard}. */
    void leave(TopicShard shard, Subscriber s) {
        submit(new Command(shard, s, null, true));
    }

    /** Queues {@code frame} for the subscribers of {@code shard}; takes over one reference to it. */
    void publish(TopicShard shard, ByteBuf frame) {
        submit(new Command(shard, null, frame));
    }

    private void submit(Command command) {
        queue.offer(command);
        if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
            loop.execute(this);
        }
    }

    /** One pass: applies what was queued (up to a limit), then flushes the channels written to. */
    @Override
    public void run() {
        Command command;
        for (int n = 0; n < PASS_LIMIT && (command = queue.poll()) != null; n++) {
            apply(command);
        }
        for (int i = 0; i < written.size(); i++) {
            written.get(i).flush();
        }
        written.clear();
        scheduled = 0;
        // Work queued after the poll above, or left by the limit: another pass, behind the tasks now waiting.
        if (!queue.isEmpty() && SCHEDULED.compareAndSet(this, 0, 1)) {
            loop.execute(this);
        }
    }

    private void apply(Command c) {
        TopicShard shard = c.shard;
        if (c.frame != null) {
            try {
                for (Subscriber s : shard.set.slots()) {
                    if (s != null && delivery.deliver(s, c.frame)) {
                        s.markWritten(written);
                    }
                }
            } finally {
                c.frame.release();
            }
        } else if (c.leave) {
            if (shard.set.remove(c.subscriber)) {
                shard.left();
            }
        } else if (!shard.set.add(c.subscriber)) {
            shard.left(); // already a member: the count went up for nothing
        }
    }

    /** Writes one frame to one subscriber, or applies the slow-subscriber policy. */
    interface Delivery {
        /**
         * Writes {@code frame} (a shared reference: duplicate it) to {@code s}, on its loop.
         *
         * @return whether something was written that needs a flush
         */
        boolean deliver(Subscriber s, ByteBuf frame);
    }

    /** A join, a leave or a publication. */
    private static final class Command {
        final TopicShard shard;
        final Subscriber subscriber;
        final ByteBuf frame;
        final boolean leave;

        Command(TopicShard shard, Subscriber subscriber, ByteBuf frame) {
            this(shard, subscriber, frame, false);
        }

        Command(TopicShard shard, Subscriber subscriber, ByteBuf frame, boolean leave) {
            this.shard = shard;
            this.subscriber = subscriber;
            this.frame = frame;
            this.leave = leave;
        }
    }
}
