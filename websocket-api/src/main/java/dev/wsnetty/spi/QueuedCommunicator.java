package dev.wsnetty.spi;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseCodes;
import dev.wsnetty.CloseListener;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.PongMessage;
import dev.wsnetty.ReceiveMessageListener;
import dev.wsnetty.StringMessage;
import dev.wsnetty.Topics;
import dev.wsnetty.UnsupportedMessageTypeException;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketInterruptedException;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.SerialExecutor;
import dev.wsnetty.internal.SharedExecutors;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The {@link Communicator} every transport uses: the whole blocking API on top of a {@link Transport} that only
 * moves frames. For transport implementers; handler code sees it as a {@code Communicator}.
 *
 * <p>The transport calls two methods, from its own thread: {@link #deliver} for each received message and
 * {@link #closed} once when the connection is gone. Neither blocks on user code: they take the queue lock only
 * briefly and hand listener calls to a per-connection serial executor backed by a shared one
 * ({@link SharedExecutors#listenerExecutor()} by default).
 */
public final class QueuedCommunicator implements Communicator {
    private static final Log LOG = Log.of(QueuedCommunicator.class);
    private static final int DATA_TYPES = bit(MessageType.STRING) | bit(MessageType.BINARY);
    private static final AtomicIntegerFieldUpdater<QueuedCommunicator> DISPATCHING =
            AtomicIntegerFieldUpdater.newUpdater(QueuedCommunicator.class, "dispatching");
    private static final AtomicReferenceFieldUpdater<QueuedCommunicator, MessageWriteLock> WRITE_LOCK =
            AtomicReferenceFieldUpdater.newUpdater(QueuedCommunicator.class, MessageWriteLock.class, "writeLock");
    private static final long UNTIMED = -1;

    private final Transport transport;
    private final InboundQueueLimits limits;
    /** The connection's share of the server's inbound memory budget: queued bytes count against it. */
    private final InboundMemoryAccount memory;
    private final SerialExecutor listenerExecutor;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    /** Made by the first writer: a connection that only listens never needs one. */
    private volatile MessageWriteLock writeLock;
    /** 1 while the receive-message listener is switched on (a field, not an object: one per connection). */
    private volatile int dispatching;

    /** Guards the queue and the close state; signalled when a message is queued or the connection closes. */
    private final ChangeLock lock = new ChangeLock();
    /** Made with the first message: most connections are idle most of the time. */
    private ArrayDeque<WebSocketMessage> queue;
    private long queuedBytes;
    private boolean readingPaused;
    /** Messages were queued by {@link #deliverInBatch} and their waiters not woken yet. */
    private boolean wakeDue;
    /**
     * What {@link #whenTaken} runs once the application has taken every queued message and is back for the next;
     * null when nothing waits for that (nearly always). Written under the lock; read without it only to skip it.
     */
    private volatile Runnable whenTaken;
    /**
     * The application took a message and has not come back for the next one yet (no thread waits for one since, no
     * listener call returned since): what it writes in answer may still be coming.
     */
    private volatile boolean answering;

    // Written under lock, read without it.
    private volatile int waiters;
    /**
     * This side asked the transport for its Close frame (at most once: {@link #startClose}), or the transport
     * reported the end. Writes are refused from the moment {@code close} returns, before the transport's own
     * close state (on its thread) has seen the Close; for the peer's Close, {@link Transport#isOpen()} answers.
     */
    private volatile boolean closeStarted;
    /** How the connection ended, as the transport reported it once through {@link #closed}; null until then. */
    private volatile CloseStatus closeStatus;

    private volatile Thread listenerThread;
    private volatile ReceiveMessageListener onReceiveMessage;
    private volatile CloseListener onClose;

    /**
     * A communicator with the default queue limits and the shared listener executor.
     *
     * @param transport the connection's transport
     */
    public QueuedCommunicator(Transport transport) {
        this(transport, InboundQueueLimits.DEFAULT, SharedExecutors.listenerExecutor());
    }

    /**
     * A communicator with explicit queue limits and listener executor.
     *
     * @param transport        the connection's transport; its addresses are read once, here
     * @param limits           when to pause and resume reading
     * @param listenerExecutor the shared executor behind this connection's serial listener calls
     */
    public QueuedCommunicator(Transport transport, InboundQueueLimits limits, Executor listenerExecutor) {
        this(transport, limits, listenerExecutor, InboundMemoryAccount.NONE);
    }

    /**
     * A communicator whose queued messages count against an inbound memory budget: each message's size (as
     * {@link InboundQueueLimits} counts it) is reserved when it is queued and released when it is taken.
     *
     * @param transport        the connection's transport; its addresses are read once, here
     * @param limits           when to pause and resume reading
     * @param listenerExecutor the shared executor behind this connection's serial listener calls
     * @param memory           the connection's account of the inbound memory budget
     */
    public QueuedCommunicator(Transport transport, InboundQueueLimits limits, Executor listenerExecutor,
                              InboundMemoryAccount memory) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.listenerExecutor = new SerialExecutor(Objects.requireNonNull(listenerExecutor, "listenerExecutor"));
        this.remoteAddress = transport.remoteAddress();
        this.localAddress = transport.localAddress();
    }

    // ---------------------------------------------------------------- transport side

    /**
     * Queues a received message: for the transport only, from its thread. Wakes waiting threads, pauses reading
     * when the queue passes its high mark, and triggers the listener if dispatch is on. Never blocks on user code.
     * Ignored once {@link #closed} was called.
     *
     * @param message the complete message
     */
    public void deliver(WebSocketMessage message) {
        queueMessage(message, true);
    }

    /**
     * Queues a received message like {@link #deliver}, but leaves waking the threads waiting for it to
     * {@link #endOfBatch()}: a transport that receives several messages at once (one read from the socket) calls
     * this for each and {@code endOfBatch} after the last, so that a waiting handler thread is woken once per batch
     * and finds them all, instead of being woken, and switched to, once per message. Threads that start waiting
     * meanwhile see the queued messages at once. Reading is paused and the listener triggered as by {@code deliver}.
     *
     * @param message the complete message
     */
    public void deliverInBatch(WebSocketMessage message) {
        queueMessage(message, false);
    }

    /** Wakes the threads waiting for the messages queued by {@link #deliverInBatch} since the last call, if any. */
    public void endOfBatch() {
        if (!wakeDue) { // read without the lock: only the transport's thread sets it
            return;
        }
        lock.lock();
        try {
            wakeDue = false;
            lock.signalChange();
        } finally {
            lock.unlock();
        }
    }

    private void queueMessage(WebSocketMessage message, boolean wakeNow) {
        Objects.requireNonNull(message, "message");
        boolean dispatch;
        lock.lock();
        try {
            if (closeStatus != null) {
                return;
            }
            if (queue == null) {
                queue = new ArrayDeque<>(4);
            }
            queue.addLast(message);
            long size = sizeOf(message);
            queuedBytes += size;
            memory.reserve(size);
            if (!readingPaused && limits.isFull(queue.size(), queuedBytes)) {
                readingPaused = true;
                transport.setReading(false);
            }
            if (wakeNow) {
                lock.signalChange();
            } else {
                wakeDue = true;
            }
            // Decided under the lock: once unlocked, the waiter this message is for may take it and leave before
            // we could look. Checked again when the call runs (dispatch stopped, or a wait started, meanwhile).
            dispatch = dispatching != 0 && waiters == 0;
        } finally {
            lock.unlock();
        }
        if (dispatch) {
            listenerExecutor.execute(this::dispatchReceived);
        }
    }

    /**
     * For the transport, before it fails the connection for the peer's protocol violation: runs {@code done} once
     * nothing is queued and the application is back from the last message it took (a thread waits in
     * {@code receiveMessage} or {@code waitForMessage} again, or the receive-message listener call that took it
     * returned), or at once if that is so already (an application that never takes messages and has none queued).
     * By then every write those messages caused has been handed to the transport. Not run if the connection ends
     * first, or if the application never gets there: the transport bounds its wait itself. One {@code done} at a
     * time (a later call replaces it).
     *
     * @param done what to run; on the caller's or an application thread, under this communicator's lock: it must
     *             not block
     */
    public void whenTaken(Runnable done) {
        Objects.requireNonNull(done, "done");
        lock.lock();
        try {
            if (closeStatus != null) {
                return;
            }
            whenTaken = done;
            runWhenTakenIfReady();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@link #whenTaken}'s task if the application has taken every message and is back for the next; the caller
     * holds the lock.
     */
    private void runWhenTakenIfReady() {
        Runnable done = whenTaken;
        if (done != null && queued() == 0 && !answering) {
            whenTaken = null;
            done.run();
        }
    }

    /**
     * Reports that the connection is gone: for the transport only, called once (later calls are ignored). Wakes
     * every waiting reader and writer, makes writes fail, and fires the {@link CloseListener} once, on the listener
     * executor after the listener calls already due. Queued messages stay available.
     *
     * @param status the close code and reason (1006 if there was no closing handshake)
     */
    public void closed(CloseStatus status) {
        Objects.requireNonNull(status, "status");
        lock.lock();
        try {
            if (closeStatus != null) {
                return;
            }
            closeStatus = status;
            closeStarted = true;
            whenTaken = null;
            lock.signalChange();
        } finally {
            lock.unlock();
        }
        MessageWriteLock w = writeLock;
        if (w != null) {
            w.close(); // else writeLock() closes the lock it makes, as closeStatus is set
        }
        listenerExecutor.execute(this::fireClose);
    }

    // ---------------------------------------------------------------- receiving

    @Override
    public WebSocketMessage receiveMessage() {
        return take(DATA_TYPES, UNTIMED, false);
    }

    @Override
    public void startReceiveMessageThread() {
        if (DISPATCHING.compareAndSet(this, 0, 1) && hasMessages()) {
            listenerExecutor.execute(this::dispatchReceived);
        }
    }

    @Override
    public void stopReceiveMessageThread() {
        dispatching = 0;
    }

    @Override
    public boolean isReceiveMessageThreadRunning() {
        return dispatching != 0 && closeStatus == null;
    }

    @Override
    public boolean inReceiveMessageThread() {
        return listenerThread == Thread.currentThread();
    }

    @Override
    public boolean hasMessages() {
        lock.lock();
        try {
            return queued() > 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int getUnprocessedMessages(List<? super WebSocketMessage> into) {
        Objects.requireNonNull(into, "into");
        lock.lock();
        try {
            int count = queued();
            if (count > 0) {
                into.addAll(queue);
                queue.clear();
                answering = true;
                memory.release(queuedBytes);
                queuedBytes = 0;
                resumeReadingIfDrained();
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public WebSocketMessage waitForMessage(Set<MessageType> types) {
        return take(checkedTypes(types), UNTIMED, true);
    }

    @Override
    public WebSocketMessage waitForMessage(Set<MessageType> types, Duration timeout) {
        return take(checkedTypes(types), toNanos(timeout), true);
    }

    /** Takes the first message of one of the types in the bit mask {@code types} (see {@link #bit}). */
    private WebSocketMessage take(int types, long timeoutNanos, boolean fireListenerAfter) {
        WebSocketMessage found;
        boolean othersQueued;
        long remaining = timeoutNanos;
        lock.lock();
        waiters++;
        try {
            while ((found = removeFirst(types)) == null && closeStatus == null) {
                answering = false; // back for the next message
                if (whenTaken != null) {
                    runWhenTakenIfReady();
                }
                if (timeoutNanos == UNTIMED) {
                    lock.awaitChange(UNTIMED);
                } else if (remaining > 0) {
                    remaining = lock.awaitChange(remaining);
                } else {
                    break;
                }
            }
            othersQueued = queued() > 0;
            if (found != null) {
                answering = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebSocketInterruptedException("interrupted while waiting for a message of type "
                    + describe(types), e);
        } finally {
            waiters--;
            lock.unlock();
        }
        if (fireListenerAfter && othersQueued && onReceiveMessage != null) {
            listenerExecutor.execute(this::fireReceived);
        }
        return found;
    }

    /** Removes and returns the first queued message of one of {@code types}, leaving the others in order. */
    private WebSocketMessage removeFirst(int types) {
        if (queue == null) {
            return null;
        }
        WebSocketMessage first = queue.peekFirst();
        if (first != null && (types & bit(first.type())) != 0) {
            // Nearly always: the next message is of a wanted type, and polling it beats an iterator's removal.
            queue.pollFirst();
            return taken(first);
        }
        for (Iterator<WebSocketMessage> it = queue.iterator(); it.hasNext(); ) {
            WebSocketMessage m = it.next();
            if ((types & bit(m.type())) != 0) {
                it.remove();
                return taken(m);
            }
        }
        return null;
    }

    /** Accounts for {@code m} having left the queue; the caller holds the lock. */
    private WebSocketMessage taken(WebSocketMessage m) {
        long size = sizeOf(m);
        queuedBytes -= size;
        memory.release(size);
        resumeReadingIfDrained();
        return m;
    }

    private void resumeReadingIfDrained() {
        if (readingPaused && closeStatus == null && limits.isDrained(queued(), queuedBytes)) {
            readingPaused = false;
            transport.setReading(true);
        }
    }

    // ---------------------------------------------------------------- listeners

    private void dispatchReceived() {
        // Waiters come first: the listener must not take the message a waitForMessage call is waiting for.
        if (dispatching != 0 && waiters == 0) {
            fireReceived();
        }
    }

    private void fireReceived() {
        ReceiveMessageListener listener = onReceiveMessage;
        if (listener != null) {
            runListener(() -> listener.onReceiveMessage(this), "onReceiveMessage");
            // The call returned. Written before whenTaken is read, as whenTaken reads this after writing itself
            // (both volatile): either this thread sees the task, or the transport's call sees the flag cleared.
            answering = false;
            if (whenTaken != null) {
                lock.lock();
                try {
                    runWhenTakenIfReady();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void fireClose() {
        CloseListener listener = onClose;
        if (listener != null) {
            CloseStatus status = closeStatus;
            runListener(() -> listener.onClose(this, status), "onClose");
        }
    }

    private void runListener(Runnable call, String name) {
        listenerThread = Thread.currentThread();
        try {
            call.run();
        } catch (Throwable t) {
            LOG.log(Log.Level.ERROR, name + " listener of the connection from " + remoteAddress
                    + " threw; the exception is ignored", t);
        } finally {
            listenerThread = null;
        }
    }

    @Override
    public void setOnReceiveMessage(ReceiveMessageListener listener) {
        onReceiveMessage = listener;
    }

    @Override
    public void setOnClose(CloseListener listener) {
        onClose = listener;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public MessageOutputStream writeMessage(MessageType type, int maxFrameLength) {
        Objects.requireNonNull(type, "type");
        if (maxFrameLength < 1) {
            throw new IllegalArgumentException("maxFrameLength must be at least 1, was " + maxFrameLength);
        }
        ensureWritable();
        return type.isControl()
                ? new ControlFrameOutputStream(this, type)
                : new FragmentingOutputStream(this, type, maxFrameLength);
    }

    @Override
    public void writeRawMessage(byte[] data, int off, int len, MessageType type) {
        Objects.requireNonNull(type, "type");
        Objects.checkFromIndexSize(off, len, data.length);
        if (type.isControl()) {
            sendControl(type, data, off, len);
            return;
        }
        Thread token = Thread.currentThread();
        acquireWriteLock(token);
        try {
            sendDataFrame(type.opcode(), true, data, off, len);
        } finally {
            releaseWriteLock(token);
        }
    }

    /** Blocks until {@code token} (a message being written) may send its frames. */
    void acquireWriteLock(Object token) {
        ensureWritable();
        writeLock().acquire(token, this::closedError);
    }

    /** Lets the next message go, if {@code token} holds the write lock. */
    void releaseWriteLock(Object token) {
        writeLock().release(token);
    }

    private MessageWriteLock writeLock() {
        MessageWriteLock w = writeLock;
        if (w == null) {
            WRITE_LOCK.compareAndSet(this, null, new MessageWriteLock());
            w = writeLock;
            // Both fields are volatile: either the close saw this lock, or this sees the close's status.
            if (closeStatus != null) {
                w.close();
            }
        }
        return w;
    }

    /** Sends a text, binary or continuation frame; the caller holds the write lock. */
    void sendDataFrame(int opcode, boolean fin, byte[] data, int off, int len) {
        ensureWritable();
        transport.sendFrame(opcode, fin, data, off, len);
    }

    /** Sends a ping, pong or close whose payload is complete; no write lock, so it may go between fragments. */
    void sendControl(MessageType type, byte[] data, int off, int len) {
        if (len > WebSocketProtocol.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(type + " payload is " + len + " bytes; a control frame carries at most "
                    + WebSocketProtocol.MAX_CONTROL_PAYLOAD);
        }
        if (type == MessageType.CLOSE) {
            closeWithPayload(data, off, len);
            return;
        }
        ensureWritable();
        transport.sendFrame(type.opcode(), true, data, off, len);
    }

    /** A message stream could not finish its message: nothing else can be sent on this connection. */
    void abandonIncompleteMessage(RuntimeException cause) {
        if (closeStarted) {
            return; // the connection is closing anyway; the peer discards the unfinished message
        }
        LOG.log(Log.Level.WARN, "a fragmented message to " + remoteAddress
                + " could not be completed; closing the connection with 1011", cause);
        startClose(CloseCodes.INTERNAL_ERROR, "incomplete message");
    }

    /** Throws {@link WebSocketClosedException} once a Close frame was sent or received. */
    void ensureWritable() {
        if (closeStarted || !transport.isOpen()) {
            throw closedError();
        }
    }

    private WebSocketClosedException closedError() {
        CloseStatus status = closeStatus;
        return new WebSocketClosedException(status != null
                ? "the WebSocket connection to " + remoteAddress + " is closed; nothing more can be written"
                : "the WebSocket connection to " + remoteAddress + " is closing (a Close frame was sent or"
                        + " received); no message may follow a Close frame", status);
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code
                    + " may not be sent; use 1000-1003, 1007-1011 or 3000-4999");
        }
        startClose(code, WebSocketProtocol.checkCloseReason(reason));
    }

    private void closeWithPayload(byte[] data, int off, int len) {
        if (len == 0) {
            startClose(CloseCodes.NO_STATUS_RECEIVED, "");
            return;
        }
        if (len == 1) {
            throw new IllegalArgumentException("a Close payload is empty or starts with a 2-byte code; got 1 byte");
        }
        int code = ((data[off] & 0xFF) << 8) | (data[off + 1] & 0xFF);
        String reason;
        try {
            reason = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(data, off + 2, len - 2)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the close reason after code " + code + " is not valid UTF-8", e);
        }
        close(code, reason);
    }

    private void startClose(int code, String reason) {
        lock.lock();
        try {
            if (closeStarted) {
                return;
            }
            closeStarted = true;
        } finally {
            lock.unlock();
        }
        transport.sendClose(code, reason);
    }

    @Override
    public CloseStatus awaitClose() {
        lock.lock();
        try {
            while (closeStatus == null) {
                lock.awaitChange(UNTIMED);
            }
            return closeStatus;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebSocketInterruptedException("interrupted while waiting for the connection to close", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CloseStatus awaitClose(Duration timeout) {
        long remaining = toNanos(timeout);
        lock.lock();
        try {
            while (closeStatus == null && remaining > 0) {
                remaining = lock.awaitChange(remaining);
            }
            return closeStatus;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebSocketInterruptedException("interrupted while waiting for the connection to close", e);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- state

    @Override
    public boolean isOpen() {
        return !closeStarted && transport.isOpen();
    }

    @Override
    public CloseStatus closeStatus() {
        return closeStatus;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String subprotocol() {
        return transport.subprotocol();
    }

    @Override
    public String extensions() {
        return transport.extensions();
    }

    /** Through the transport's {@link TopicMembership}. */
    @Override
    public boolean subscribe(String topic) {
        return membership().subscribe(topic);
    }

    /** Through the transport's {@link TopicMembership}. */
    @Override
    public boolean unsubscribe(String topic) {
        return membership().unsubscribe(topic);
    }

    /** Through the transport's {@link TopicMembership}; empty when it has none. */
    @Override
    public Set<String> subscriptions() {
        TopicMembership membership = transport.topicMembership();
        return membership == null ? Collections.emptySet() : membership.subscriptions();
    }

    /** Through the transport's {@link TopicMembership}. */
    @Override
    public Topics topics() {
        return membership().topics();
    }

    private TopicMembership membership() {
        TopicMembership membership = transport.topicMembership();
        if (membership == null) {
            throw new UnsupportedOperationException("the connection to " + remoteAddress
                    + " has no topics: they belong to a server's connections");
        }
        return membership;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        T unwrapped = transport.unwrap(type);
        if (unwrapped == null) {
            throw new IllegalArgumentException("this connection's transport provides no " + type.getName());
        }
        return unwrapped;
    }

    /** The peer and the state, for logs. */
    @Override
    public String toString() {
        CloseStatus status = closeStatus;
        String state = status != null ? "closed " + status.describe() : closeStarted ? "closing" : "open";
        return "Communicator[" + remoteAddress + ", " + state + ']';
    }

    // ---------------------------------------------------------------- helpers

    /** How many messages are queued; the caller holds the lock. */
    private int queued() {
        return queue == null ? 0 : queue.size();
    }

    /**
     * The types as a bit mask ({@link #bit}): nothing to allocate per wait, and the caller's set may change while
     * we wait.
     */
    private static int checkedTypes(Set<MessageType> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("waitForMessage needs at least one message type");
        }
        int mask = 0;
        for (MessageType t : types) {
            if (!t.isReceivable()) {
                throw new UnsupportedMessageTypeException(t);
            }
            mask |= bit(t);
        }
        return mask;
    }

    private static int bit(MessageType type) {
        return 1 << type.ordinal();
    }

    /** The types of a bit mask, for messages. */
    private static Set<MessageType> describe(int types) {
        Set<MessageType> set = EnumSet.noneOf(MessageType.class);
        for (MessageType t : MessageType.values()) {
            if ((types & bit(t)) != 0) {
                set.add(t);
            }
        }
        return set;
    }

    /** A timeout in nanoseconds: negative durations count as zero, huge ones as forever. */
    private static long toNanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** What a queued message counts against the byte limits. */
    private static long sizeOf(WebSocketMessage m) {
        if (m instanceof BinaryMessage) {
            return ((BinaryMessage) m).data().length;
        }
        if (m instanceof PongMessage) {
            return ((PongMessage) m).payload().length;
        }
        return ((StringMessage) m).data().length();
    }
}
