package dev.wsnetty.netty.adapter;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketInterruptedException;
import dev.wsnetty.WebSocketTimeoutException;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.deflate.DeflateAgreement;
import dev.wsnetty.netty.deflate.DeflateParameters;
import dev.wsnetty.netty.internal.Durations;
import dev.wsnetty.netty.internal.InboundBudgets;
import dev.wsnetty.netty.internal.ReadPauses;
import dev.wsnetty.netty.topics.ChannelTopics;
import dev.wsnetty.spi.InboundMemoryAccount;
import dev.wsnetty.spi.TopicMembership;
import dev.wsnetty.spi.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Transport} of one Netty channel whose pipeline ends with the frame handlers, the
 * {@link dev.wsnetty.netty.protocol.MessageAggregator} and a {@link CommunicatorHandler}.
 *
 * <p>Writes: each frame's payload is copied (small ones to the heap, large ones into a pooled buffer) and handed
 * to the event loop as a {@link WebSocketFrame} through a {@link FrameHandoff}, which writes the frames of all
 * writers in batches with one flush per batch. While the channel has no room (its outbound buffer and the
 * handed-over frames are above the write buffer high water mark because the peer reads slowly) a write waits, woken
 * by the {@link CommunicatorHandler} when writability changes or by the hand-off after a batch, for at most the
 * write timeout.
 *
 * <p>Writes never run on the channel's event loop: there a wait for writability would wait for the very thread
 * it blocks, and every connection of that loop would freeze. {@link #sendFrame} called on the event loop
 * throws {@link IllegalStateException} instead of writing; {@link #sendClose} and {@link #setReading} never block
 * and may be called from anywhere.
 *
 * <p>The close state belongs to the {@link dev.wsnetty.netty.protocol.ProtocolHandler}, on the event loop. This
 * class keeps a derived view of it, the write gate ({@link #gate}), so that writer threads can refuse writes early
 * without a lock: see {@link #stopWrites()} for what closes it.
 *
 * <p><b>No silent loss.</b> A write that returns normally has its frame queued where it goes out before any Close
 * of ours: a writer queues its frame inside the gate, and closing the gate waits for the writers inside it (they
 * only append to a queue) before the Close is queued behind them or, when the protocol handler is about to send a
 * Close of its own ({@link dev.wsnetty.netty.protocol.CloseComingEvent}), before the queue is written out on the
 * event loop ahead of the Close. A write that finds the gate closed throws {@link WebSocketClosedException}.
 *
 * <p>It is also the communicator's {@link InboundMemoryAccount}: the connection's account in its inbound memory
 * budget (kept by the frame decoder) is looked up when the first message is queued, so that an idle connection
 * never opens one.
 */
final class ChannelTransport implements Transport, InboundMemoryAccount, ChannelFutureListener {
    private static final AtomicReferenceFieldUpdater<ChannelTransport, WriterWait> WRITER_WAIT =
            AtomicReferenceFieldUpdater.newUpdater(ChannelTransport.class, WriterWait.class, "writerWait");
    private static final AtomicReferenceFieldUpdater<ChannelTransport, FrameHandoff> HANDOFF =
            AtomicReferenceFieldUpdater.newUpdater(ChannelTransport.class, FrameHandoff.class, "handoff");
    private static final AtomicIntegerFieldUpdater<ChannelTransport> GATE =
            AtomicIntegerFieldUpdater.newUpdater(ChannelTransport.class, "gate");
    /** The bit of {@link #gate} that says it is closed; the other bits count the writers inside. */
    private static final int GATE_CLOSED = Integer.MIN_VALUE;
    /** Payloads up to this size are copied behind the header by the frame encoder. */
    private static final int SMALL_PAYLOAD = 1024;
    private final Channel channel;
    /** The settings' instance, shared by all connections: a reference costs less per connection than a long. */
    private final Duration writeTimeout;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final String subprotocol;
    /** The agreed extensions as a Sec-WebSocket-Extensions value, "" for none. */
    private final String extensions;
    /** The server's topics, or null (a client's connection). */
    private final ChannelTopics topics;
    /** Made by the first write: a connection that only listens (many idle ones do) never needs one. */
    private volatile FrameHandoff handoff;
    /** Where writers wait for room; made by the first writer that has to wait (most connections never do). */
    private volatile WriterWait writerWait;
    /** Writers waiting for writability; lets the event loop skip the lock when nobody waits. */
    private volatile int waitingWriters;
    /**
     * The write gate: the writers queuing a frame right now, and {@link #GATE_CLOSED} once no data frame may be
     * sent any more (a derived view of the protocol handler's close state, which lives on the event loop in plain
     * fields, for the writer threads). Closed once, only by {@link #stopWrites()}; never opened again.
     */
    private volatile int gate;
    /**
     * The connection's account in its inbound memory budget; null until the first message is queued (then set on
     * the event loop, under the communicator's lock, before any thread can take that message and release it).
     */
    private volatile InboundMemoryAccount inboundAccount;

    ChannelTransport(Channel channel, Duration writeTimeout, String subprotocol, ChannelTopics topics) {
        this.channel = channel;
        this.topics = topics;
        this.subprotocol = subprotocol;
        // The handshakes record the agreement before the application's hook attaches the communicator.
        this.extensions = DeflateAgreement.of(channel).map(DeflateParameters::extensionHeader).orElse("");
        this.writeTimeout = writeTimeout;
        this.remoteAddress = inet(channel.remoteAddress());
        this.localAddress = inet(channel.localAddress());
    }

    /**
     * Counts a queued message in the connection's inbound memory budget; the communicator calls it on the event
     * loop. The first call looks up the account, which the frame decoder opens if it has not yet.
     */
    @Override
    public void reserve(long bytes) {
        InboundMemoryAccount account = inboundAccount;
        if (account == null) {
            if (bytes <= 0 || !channel.isActive()) {
                // After the channel's end the decoder has closed its account, or would never close one opened now.
                return;
            }
            account = inboundAccount = InboundBudgets.accountOf(channel);
        }
        account.reserve(bytes);
    }

    /** Releases bytes of messages taken from the queue or dropped; from any thread. */
    @Override
    public void release(long bytes) {
        InboundMemoryAccount account = inboundAccount;
        if (account != null) { // else nothing was reserved
            account.release(bytes);
        }
    }

    /**
     * Writes one frame; see the class description for flushing and waiting.
     *
     * @throws IllegalStateException     if called on the channel's event loop
     * @throws WebSocketClosedException  if a Close frame was sent or received or the channel is gone
     * @throws WebSocketTimeoutException if the channel stayed unwritable for the whole write timeout
     */
    @Override
    public void sendFrame(int opcode, boolean fin, byte[] data, int off, int len) {
        if (channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("blocking WebSocket writes are not allowed on the Netty event loop ("
                    + Thread.currentThread().getName() + "): a write may wait for the connection to become writable,"
                    + " which only this thread can make happen. Write from a handler or listener thread, or write"
                    + " WebSocketFrames to the channel directly");
        }
        ensureOpen();
        FrameHandoff outbound = handoff();
        awaitWritable(outbound);
        WebSocketFrame frame = new WebSocketFrame(opcode, fin, copyOf(data, off, len));
        if (!enterGate()) {
            frame.release();
            throw closedError();
        }
        try {
            outbound.write(frame);
        } finally {
            GATE.decrementAndGet(this);
        }
    }

    /** Counts this writer in, unless the gate is closed. */
    private boolean enterGate() {
        for (;;) {
            int g = gate;
            if (g < 0) {
                return false;
            }
            if (GATE.compareAndSet(this, g, g + 1)) {
                return true;
            }
        }
    }

    /** Writes the Close frame through the protocol handler, which owns the close state; never blocks. */
    @Override
    public void sendClose(int code, String reason) {
        // At once, on the caller's thread: a writer woken by the close must fail now, not queue its frame
        // behind the Close before the event loop has seen it.
        stopWrites();
        WebSocketFrame frame = code == CloseCodes.NO_STATUS_RECEIVED
                ? WebSocketFrame.emptyClose() : WebSocketFrame.close(code, reason);
        // Through the hand-off, so that it follows the frames already written. On a channel that is already
        // closed, Netty releases the frame and fails the write: nothing to do.
        handoff().write(frame);
    }

    /**
     * Switches auto-read for the inbound queue; reading stays off while the inbound memory budget also wants it
     * off. Netty starts a read itself when it is switched back on.
     */
    @Override
    public void setReading(boolean on) {
        if (on) {
            ReadPauses.resume(channel, ReadPauses.QUEUE_FULL);
        } else {
            ReadPauses.pause(channel, ReadPauses.QUEUE_FULL);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public String extensions() {
        return extensions;
    }

    @Override
    public boolean isOpen() {
        return gate >= 0 && channel.isActive();
    }

    /** This channel's side of the server's topics; null when it has none. */
    @Override
    public TopicMembership topicMembership() {
        return topics == null ? null : topics.membership(channel);
    }

    /** The channel for {@code io.netty.channel.Channel} (or a channel class it is an instance of). */
    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(channel) ? type.cast(channel) : null;
    }

    /**
     * A write failed: the protocol handler had already sent a Close frame (this transport did not know), or the
     * connection broke. Later writes are refused at once; the connection's end is reported by the handler.
     */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (!future.isSuccess()) {
            stopWrites();
        }
    }

    /**
     * Closes the write gate: refuses all later writes, waits for the writers inside the gate to have queued their
     * frames, writes the queue out when on the event loop (so that it precedes the Close the caller is about to
     * send), and wakes the writers waiting for room, so that they fail too. The one place that closes the gate;
     * called when {@link #sendClose} starts the closing handshake, when a write failed (the protocol handler
     * refused it after its own Close, or the connection broke), and by the {@link CommunicatorHandler} when the
     * protocol handler is about to send its own Close, passes the peer's Close on, or reports the end of the
     * connection.
     */
    void stopWrites() {
        int was = GATE.getAndUpdate(this, g -> g | GATE_CLOSED);
        if ((was & ~GATE_CLOSED) != 0) {
            // Writers inside only append to a lock-free queue: a wait of a few instructions, not for I/O.
            while ((gate & ~GATE_CLOSED) != 0) {
                Thread.onSpinWait();
            }
        }
        FrameHandoff h = handoff;
        if (h != null && channel.eventLoop().inEventLoop()) {
            h.drainNow();
        }
        wakeWriters();
    }

    /** Wakes writers waiting for room; called on the event loop, takes the lock only if someone waits. */
    void wakeWriters() {
        if (waitingWriters > 0) {
            WriterWait w = writerWait; // made before the count went up
            w.lock.lock();
            try {
                w.roomMade.signalAll();
            } finally {
                w.lock.unlock();
            }
        }
    }

    private void awaitWritable(FrameHandoff outbound) {
        if (outbound.hasRoom()) {
            return;
        }
        long timeoutNanos = writeTimeout.toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        WriterWait w = writerWait();
        w.lock.lock();
        // Counted before the room is checked again, so that a change racing with this check still signals.
        waitingWriters++;
        try {
            while (!outbound.hasRoom()) {
                ensureOpen();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WebSocketTimeoutException("could not write to " + remoteAddress + " for "
                            + Durations.describe(writeTimeout) + ": the connection stayed unwritable because the peer"
                            + " does not read what was sent; the frame was not sent");
                }
                w.roomMade.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebSocketInterruptedException("interrupted while waiting to write to " + remoteAddress, e);
        } finally {
            waitingWriters--;
            w.lock.unlock();
        }
    }

    private FrameHandoff handoff() {
        FrameHandoff h = handoff;
        if (h == null) {
            HANDOFF.compareAndSet(this, null, new FrameHandoff(channel, this, this::wakeWriters));
            h = handoff;
        }
        return h;
    }

    private WriterWait writerWait() {
        WriterWait w = writerWait;
        if (w == null) {
            WRITER_WAIT.compareAndSet(this, null, new WriterWait());
            w = writerWait;
        }
        return w;
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw closedError();
        }
    }

    private WebSocketClosedException closedError() {
        return new WebSocketClosedException("the WebSocket connection to " + remoteAddress
                + (channel.isActive() ? " is closing (a Close frame was sent or received); no message may"
                + " follow a Close frame" : " is closed; nothing more can be written"), null);
    }

    /**
     * The payload's own copy (the caller may reuse {@code data}). A small one goes on the heap: the encoder copies
     * it behind the frame header into a pooled buffer anyway, and a heap array costs this thread far less than a
     * pooled buffer does. A large one goes into a pooled buffer, which the encoder hands to the socket as it is.
     */
    private ByteBuf copyOf(byte[] data, int off, int len) {
        if (len == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        if (len <= SMALL_PAYLOAD) {
            return Unpooled.wrappedBuffer(Arrays.copyOfRange(data, off, off + len));
        }
        return channel.alloc().buffer(len).writeBytes(data, off, len);
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    }

    /** A lock and the condition that writers waiting for room wait on. */
    private static final class WriterWait {
        final ReentrantLock lock = new ReentrantLock();
        final Condition roomMade = lock.newCondition();
    }
}
