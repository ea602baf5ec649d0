package dev.wsnetty.netty.adapter;

import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Carries frames written on other threads to the channel's event loop in batches: a writer appends its frame to a
 * lock-free queue, and only the first append after a drain schedules a drain task, which writes everything queued
 * and flushes once.
 *
 * <p>Why: Netty's own cross-thread {@code writeAndFlush} costs one event-loop task and one {@code write} system
 * call per frame. With handler threads echoing small messages, that was most of the event loop's time (the JFR
 * profile in BENCHMARKS.md); a batch of frames now costs one task and one system call.
 *
 * <p>The payload bytes waiting here count against the channel's write buffer high water mark together with its
 * outbound buffer ({@link #hasRoom()}), as Netty counts its own pending cross-thread writes, so writers cannot pile
 * up frames faster than the event loop moves them to the socket.
 */
final class FrameHandoff implements Runnable {
    /** Frames written per drain task before it lets the event loop serve other channels (and flushes). */
    private static final int MAX_FRAMES_PER_DRAIN = 256;
    private static final AtomicIntegerFieldUpdater<FrameHandoff> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(FrameHandoff.class, "drainScheduled");
    private static final AtomicLongFieldUpdater<FrameHandoff> QUEUED_BYTES =
            AtomicLongFieldUpdater.newUpdater(FrameHandoff.class, "queuedBytes");

    private final Channel channel;
    /** Told about every frame's write outcome (a refused write means the connection is closing). */
    private final ChannelFutureListener writeOutcome;
    /** Called on the event loop after each drain, so writers waiting for room can look again. */
    private final Runnable drained;
    private final Queue<WebSocketFrame> frames = new ConcurrentLinkedQueue<>();
    /** For all frames of a batch but the last; made on the first batch of more than one frame. */
    private ChannelPromise silentPromise;
    private volatile int drainScheduled;
    /** A drain is running; event loop only (a write it makes may fail and ask for a drain again). */
    private boolean draining;
    private volatile long queuedBytes;

    FrameHandoff(Channel channel, ChannelFutureListener writeOutcome, Runnable drained) {
        this.channel = channel;
        this.writeOutcome = writeOutcome;
        this.drained = drained;
    }

    /**
     * Queues {@code frame} behind the frames already handed over and makes sure a drain will write it. On the event
     * loop the drain runs at once, so a frame written there (a Close) still goes out after the queued ones. If the
     * event loop is gone, the frame and everything queued are released.
     */
    void write(WebSocketFrame frame) {
        QUEUED_BYTES.addAndGet(this, frame.content().readableBytes());
        frames.add(frame);
        if (channel.eventLoop().inEventLoop()) {
            run();
        } else if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            try {
                channel.eventLoop().execute(this);
            } catch (RejectedExecutionException e) {
                // The event loop is shut down, so the channel is closed: nothing queued can go out. Cleared so that
                // every later writer also gets here and releases its frame.
                drainScheduled = 0;
                discardQueued();
            }
        }
    }

    /**
     * Whether the channel's outbound buffer and the frames queued here together are below the channel's write
     * buffer high water mark.
     */
    boolean hasRoom() {
        return channel.bytesBeforeUnwritable() > queuedBytes;
    }

    /**
     * Writes everything queued now, on the event loop, unless a drain is running already (which writes it):
     * before a Close, the frames writers were told were sent go first.
     */
    void drainNow() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            do { // all of it, not one batch: what is left would follow the Close
                drain();
            } while (!frames.isEmpty());
        } finally {
            draining = false;
        }
    }

    /** The drain: writes the queued frames in order, then flushes once. Runs on the event loop. */
    @Override
    public void run() {
        draining = true;
        try {
            drain();
        } finally {
            draining = false;
        }
    }

    private void drain() {
        // Cleared before polling: a frame added after the last poll below schedules a new drain.
        drainScheduled = 0;
        int written = 0;
        WebSocketFrame frame = frames.poll();
        while (frame != null) {
            QUEUED_BYTES.addAndGet(this, -frame.content().readableBytes());
            WebSocketFrame next = ++written < MAX_FRAMES_PER_DRAIN ? frames.poll() : null;
            if (next == null) {
                channel.write(frame).addListener(writeOutcome);
            } else {
                // A refused write refuses every later one too (the channel is closing), so the batch's last
                // write tells the outcome of all; void promises let the encoder write the batch as one buffer.
                channel.write(frame, silentPromise());
            }
            frame = next;
        }
        if (written > 0) {
            channel.flush();
        }
        if (written == MAX_FRAMES_PER_DRAIN && !frames.isEmpty() && DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            channel.eventLoop().execute(this);
        }
        drained.run();
    }

    private ChannelPromise silentPromise() {
        ChannelPromise p = silentPromise;
        if (p == null) {
            p = silentPromise = new VoidChannelPromise(channel, false);
        }
        return p;
    }

    /** Releases every queued frame: they can never be written. */
    private void discardQueued() {
        WebSocketFrame frame;
        while ((frame = frames.poll()) != null) {
            QUEUED_BYTES.addAndGet(this, -frame.content().readableBytes());
            frame.release();
        }
    }
}
