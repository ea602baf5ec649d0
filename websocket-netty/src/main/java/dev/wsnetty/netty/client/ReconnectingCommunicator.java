package dev.wsnetty.netty.client;

import dev.wsnetty.CloseListener;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.ReceiveMessageListener;
import dev.wsnetty.UnsupportedMessageTypeException;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketMessage;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The {@link Communicator} of a {@link ReconnectingClient}: one logical connection over the connections the client
 * opens one after another. Thread-safe, as every communicator.
 *
 * <h2>Writes</h2>
 * Go to the open connection, as on a plain communicator. While there is none (before the first, between a drop and
 * the end of the {@link ReconnectHook} on the next one) a write throws {@link WebSocketReconnectingException} at
 * once, saying that the connection is down and when the next attempt is; a write that the drop interrupts throws it
 * too. Nothing is queued for later and nothing is dropped silently: what threw was not sent. Once the client
 * stopped, writes throw {@link WebSocketClosedException}.
 *
 * <p>Messages in flight: a write that returned was accepted by the transport of that connection; if the connection
 * drops before the server read it, it is lost with the connection, as with any TCP connection. What the server must
 * have (subscriptions, state) is for the hook to send again; messages that must arrive need an acknowledgement of
 * the application's own. A message stream from {@link #writeMessage(MessageType, int)} belongs to the connection
 * it was opened on and fails with it.
 *
 * <h2>Reads</h2>
 * Messages are taken in order across connections: what an ended connection received and nobody took is read
 * before what the next one receives. {@code receiveMessage} and the {@code waitFor*} methods wait across outages
 * and return null only once the client has stopped and nothing is left (or their timeout passed). The
 * {@link ReceiveMessageListener} and listener dispatch ({@link #startReceiveMessageThread()}) carry over to every
 * new connection; the listener is called with this communicator.
 *
 * <h2>End</h2>
 * {@link #close(int, String)} stops the client ({@link ReconnectingClient#stop(int, String)}). The
 * {@link CloseListener} fires once, when the client has stopped and its last connection has ended, with that
 * connection's close status (or 1006 and the reason it stopped, when none was open). The ends of connections the
 * client replaced are reported by {@link ReconnectListener}, not here. {@link #closeStatus()} is null until then.
 */
public final class ReconnectingCommunicator implements Communicator {
    private static final Set<MessageType> DATA = EnumSet.of(MessageType.STRING, MessageType.BINARY);
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final ReconnectingClient client;
    /** Replaced connections that still held messages when they were replaced, oldest first. */
    private final ConcurrentLinkedDeque<Communicator> retired = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean endReported = new AtomicBoolean();
    private volatile ReceiveMessageListener onReceiveMessage;
    private volatile CloseListener onClose;
    private volatile boolean dispatching;

    ReconnectingCommunicator(ReconnectingClient client) {
        this.client = client;
    }

    /**
     * Waits until a connection is open and handed out (its hook has run).
     *
     * @return true when connected; false when the time passed or the client stopped
     */
    public boolean awaitConnected(Duration timeout) {
        return client.awaitConnected(Objects.requireNonNull(timeout, "timeout"));
    }

    /** The client that keeps this connection. */
    public ReconnectingClient client() {
        return client;
    }

    // ---------------------------------------------------------------- from the client

    /** Keeps {@code previous} for reading while it holds messages. */
    void retire(Communicator previous) {
        if (previous != null && previous.hasMessages()) {
            retired.add(previous);
        }
    }

    /**
     * Carries the listener and dispatch over to a new connection. Synchronized with {@link #setOnReceiveMessage}, so
     * that a listener read here cannot overwrite one set meanwhile.
     */
    synchronized void attach(Communicator connection) {
        ReceiveMessageListener l = onReceiveMessage;
        connection.setOnReceiveMessage(l == null ? null : c -> l.onReceiveMessage(this));
        if (dispatching) {
            connection.startReceiveMessageThread();
        }
    }

    /** The logical connection ended: tells the close listener, once. */
    void ended(CloseStatus status) {
        CloseListener l = onClose;
        if (endReported.compareAndSet(false, true) && l != null) {
            client.client().getCommunicatorSettings().listenerExecutor().execute(() -> l.onClose(this, status));
        }
    }

    // ---------------------------------------------------------------- receiving

    @Override
    public WebSocketMessage receiveMessage() {
        return take(DATA, NO_DEADLINE, true);
    }

    @Override
    public WebSocketMessage waitForMessage(Set<MessageType> types) {
        checkTypes(types);
        return take(types, NO_DEADLINE, false);
    }

    @Override
    public WebSocketMessage waitForMessage(Set<MessageType> types, Duration timeout) {
        checkTypes(types);
        long nanos = Math.max(0, Objects.requireNonNull(timeout, "timeout").toNanos());
        return take(types, System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4), false);
    }

    private static void checkTypes(Set<MessageType> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("types must not be empty");
        }
        for (MessageType t : types) {
            if (t == MessageType.PING || t == MessageType.CLOSE) {
                throw new UnsupportedMessageTypeException(t);
            }
        }
    }

    /** The first message of {@code types}: left over from replaced connections first, then from the latest one. */
    private WebSocketMessage take(Set<MessageType> types, long deadline, boolean receive) {
        while (true) {
            WebSocketMessage left = takeRetired(types);
            if (left != null) {
                return left;
            }
            Communicator c = client.latest();
            if (c != null) {
                WebSocketMessage m;
                if (deadline == NO_DEADLINE) {
                    m = receive ? c.receiveMessage() : c.waitForMessage(types);
                } else {
                    m = c.waitForMessage(types, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
                if (m != null) {
                    return m;
                }
                if (c.closeStatus() == null) {
                    return null; // the time passed on an open connection
                }
            }
            if (!client.awaitOther(c, deadline)) {
                return takeRetired(types); // stopped, or the time passed
            }
        }
    }

    private WebSocketMessage takeRetired(Set<MessageType> types) {
        for (Iterator<Communicator> it = retired.iterator(); it.hasNext(); ) {
            Communicator r = it.next();
            WebSocketMessage m = r.waitForMessage(types, Duration.ZERO);
            if (m != null) {
                return m;
            }
            if (!r.hasMessages()) {
                it.remove();
            }
        }
        return null;
    }

    @Override
    public void startReceiveMessageThread() {
        dispatching = true;
        Communicator c = client.latest();
        if (c != null) {
            c.startReceiveMessageThread();
        }
    }

    @Override
    public void stopReceiveMessageThread() {
        dispatching = false;
        Communicator c = client.latest();
        if (c != null) {
            c.stopReceiveMessageThread();
        }
    }

    @Override
    public boolean isReceiveMessageThreadRunning() {
        return dispatching && !client.isStopped();
    }

    @Override
    public boolean inReceiveMessageThread() {
        Communicator c = client.latest();
        return (c != null && c.inReceiveMessageThread())
                || retired.stream().anyMatch(Communicator::inReceiveMessageThread);
    }

    @Override
    public boolean hasMessages() {
        Communicator c = client.latest();
        return retired.stream().anyMatch(Communicator::hasMessages) || (c != null && c.hasMessages());
    }

    @Override
    public int getUnprocessedMessages(List<? super WebSocketMessage> into) {
        int n = 0;
        for (Communicator r : retired) {
            n += r.getUnprocessedMessages(into);
        }
        retired.removeIf(r -> !r.hasMessages());
        Communicator c = client.latest();
        return c == null ? n : n + c.getUnprocessedMessages(into);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Opens a message stream on the open connection.
     *
     * @throws WebSocketReconnectingException while there is no open connection
     */
    @Override
    public MessageOutputStream writeMessage(MessageType type, int maxFrameLength) {
        return write(c -> c.writeMessage(type, maxFrameLength));
    }

    /**
     * Writes to the open connection.
     *
     * @throws WebSocketReconnectingException while there is no open connection, or if it ended during the write
     */
    @Override
    public void writeRawMessage(byte[] data, int off, int len, MessageType type) {
        write(c -> {
            c.writeRawMessage(data, off, len, type);
            return null;
        });
    }

    private <T> T write(Function<Communicator, T> operation) {
        Communicator c = client.connectionForWriting();
        try {
            return operation.apply(c);
        } catch (WebSocketClosedException e) {
            throw client.isStopped() ? e : client.outage(e);
        }
    }

    /** Stops the client: see {@link ReconnectingClient#stop(int, String)}. */
    @Override
    public void close(int code, String reason) {
        client.stop(code, reason);
    }

    @Override
    public CloseStatus awaitClose() {
        return client.awaitEnd(NO_DEADLINE);
    }

    @Override
    public CloseStatus awaitClose(Duration timeout) {
        long nanos = Math.max(0, Objects.requireNonNull(timeout, "timeout").toNanos());
        return client.awaitEnd(System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4));
    }

    // ---------------------------------------------------------------- state and events

    /** Whether a connection is handed out and open. */
    @Override
    public boolean isOpen() {
        Communicator c = client.latest();
        return c != null && client.connected() && c.isOpen();
    }

    /** How the logical connection ended; null while the client runs (also while it reconnects). */
    @Override
    public CloseStatus closeStatus() {
        return client.endStatus();
    }

    /** The latest connection's peer address; null before the first connection. */
    @Override
    public InetSocketAddress remoteAddress() {
        Communicator c = client.latest();
        return c == null ? null : c.remoteAddress();
    }

    /** The latest connection's own address; null before the first connection. */
    @Override
    public InetSocketAddress localAddress() {
        Communicator c = client.latest();
        return c == null ? null : c.localAddress();
    }

    /** The latest connection's subprotocol; null before the first connection or when none was agreed. */
    @Override
    public String subprotocol() {
        Communicator c = client.latest();
        return c == null ? null : c.subprotocol();
    }

    /** The latest connection's agreed extensions; {@code ""} before the first connection or when none was agreed. */
    @Override
    public String extensions() {
        Communicator c = client.latest();
        return c == null ? "" : c.extensions();
    }

    /** Sets the listener for messages of every connection, the current one at once. */
    @Override
    public synchronized void setOnReceiveMessage(ReceiveMessageListener listener) {
        onReceiveMessage = listener;
        Communicator c = client.latest();
        if (c != null) {
            attach(c);
        }
    }

    /** Sets the listener told once the client stopped and its last connection ended. */
    @Override
    public void setOnClose(CloseListener listener) {
        onClose = listener;
    }

    /**
     * This communicator, or the latest connection's object of that type (e.g. its Netty channel).
     *
     * @throws IllegalArgumentException if neither provides it, or there was no connection yet
     */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        Communicator c = client.latest();
        if (c == null) {
            throw new IllegalArgumentException("no " + type.getName() + ": there was no connection yet");
        }
        return c.unwrap(type);
    }

    @Override
    public String toString() {
        return "ReconnectingCommunicator[" + client.client().getUri() + "]";
    }
}
