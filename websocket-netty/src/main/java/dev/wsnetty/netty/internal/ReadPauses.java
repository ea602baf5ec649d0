package dev.wsnetty.netty.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The reasons a channel does not read, combined: auto-read is on only while there is none. Two sources switch
 * reading off and on independently: the communicator's inbound queue (a slow handler) and the inbound memory
 * budget (the whole server holds too much); one must not switch reading back on while the other still wants it
 * off. One instance per channel, kept as a channel attribute; thread-safe.
 */
public final class ReadPauses {
    /** The communicator's inbound queue is full. */
    public static final int QUEUE_FULL = 1;
    /** The inbound memory budget is at its high-water mark and the connection holds its fair share. */
    public static final int BUDGET = 1 << 1;

    private static final AttributeKey<ReadPauses> KEY = AttributeKey.valueOf(ReadPauses.class, "readPauses");

    private final Channel channel;
    /** The bits of the reasons in force; guarded by this. */
    private int reasons;

    private ReadPauses(Channel channel) {
        this.channel = channel;
    }

    /** Stops reading from {@code channel} for {@code reason} (one of the constants). */
    public static void pause(Channel channel, int reason) {
        of(channel).set(reason, true);
    }

    /** Withdraws {@code reason}; reading starts again once no reason is left. */
    public static void resume(Channel channel, int reason) {
        of(channel).set(reason, false);
    }

    /** Whether {@code reason} keeps {@code channel} from reading now. */
    public static boolean isPaused(Channel channel, int reason) {
        // hasAttr first: attr() would add an empty attribute to every channel it is asked about.
        ReadPauses pauses = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
        return pauses != null && pauses.has(reason);
    }

    private static ReadPauses of(Channel channel) {
        ReadPauses pauses = channel.attr(KEY).get();
        if (pauses == null) {
            ReadPauses made = new ReadPauses(channel);
            pauses = channel.attr(KEY).setIfAbsent(made);
            if (pauses == null) {
                pauses = made;
            }
        }
        return pauses;
    }

    private synchronized boolean has(int reason) {
        return (reasons & reason) != 0;
    }

    private synchronized void set(int reason, boolean paused) {
        int before = reasons;
        reasons = paused ? before | reason : before & ~reason;
        if ((before == 0) != (reasons == 0)) {
            // Under the lock, so that two threads' switches cannot land in the wrong order.
            channel.config().setAutoRead(reasons == 0);
        }
    }
}
