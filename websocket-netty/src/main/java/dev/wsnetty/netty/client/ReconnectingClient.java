package dev.wsnetty.netty.client;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketException;
import dev.wsnetty.WebSocketInterruptedException;
import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.SerialExecutor;
import dev.wsnetty.netty.internal.Durations;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Keeps one logical connection open with a {@link WebSocketClient}: connects, and whenever the connection ends or
 * an attempt fails, tries again after a wait from its {@link ReconnectPolicy}, until the policy says stop or the
 * application {@linkplain #stop() stops} it. The application talks through one {@link ReconnectingCommunicator}
 * ({@link #start()} returns it), which always writes to the connection of the moment.
 *
 * <pre>{@code
 * ReconnectingClient reconnecting = new ReconnectingClient(WebSocketClient.of("wss://example.com/feed"),
 *         ReconnectPolicy.builder().stopOnHandshakeStatuses(400, 499).stopOnCloseCodes(1008).build());
 * reconnecting.setHook((connection, n) -> connection.writeStringMessage("subscribe prices"));
 * ReconnectingCommunicator feed = reconnecting.start();   // connects in the background
 * }</pre>
 *
 * <h2>What is retried</h2>
 * A connection that ends for any reason but {@link #stop()} (a Close from the server, 1006 when TCP drops, a
 * timeout), and an attempt that fails: no TCP connection, no answer within the handshake timeout, TLS, a refusal.
 * Not retried: what the policy names (close codes, handshake statuses, a bound on attempts), a redirect the client
 * does not follow ({@link WebSocketRedirectException}), and errors of the configuration (e.g. a custom header that
 * is not allowed), which no retry can fix. The client's settings are read at every attempt, so they may be
 * changed in between (e.g. a fresh token in {@link WebSocketClient#customHeaders()} before {@link #start()}; the
 * map is not thread-safe, so not while running).
 *
 * <h2>Threads</h2>
 * No thread is started: the waits are timers on one of the client's event loops, an attempt is
 * {@link WebSocketClient#connectAsync()}, and the {@link ReconnectHook} and the {@link ReconnectListener} run on
 * the client's listener executor ({@code CommunicatorConfig.listenerExecutor}). Every method is thread-safe.
 */
public final class ReconnectingClient {
    private static final Log LOG = Log.of(ReconnectingClient.class);

    private enum State {
        /** {@link #start()} was not called yet. */
        NEW,
        /** An attempt is in progress (connecting, or running the hook on the new connection). */
        CONNECTING,
        /** A connection is handed out. */
        CONNECTED,
        /** The connection ended; deciding what next. */
        DISCONNECTED,
        /** Waiting for the timer of the next attempt. */
        WAITING,
        /** Nothing more will happen but the end of a connection being closed. */
        STOPPED
    }

    private final WebSocketClient client;
    private final SslContext sslContext;
    private final ReconnectPolicy policy;
    private final ReconnectingCommunicator communicator;
    /** The listener's calls, in order, one at a time. */
    private final SerialExecutor events;
    /** Where attempts start: off the event loops, as the client may ask a user's CookieHandler or ProxySelector. */
    private final Executor launcher;
    private volatile ReconnectHook hook;
    private volatile ReconnectListener listener;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled at every change of state, connection or final status. */
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private State state = State.NEW;
    /** The latest connection handed out, open or not; null before the first. */
    private Communicator current;
    /** The attempt in progress, until it completes; null otherwise. */
    private CompletableFuture<Communicator> pending;
    /** The timer of the next attempt while WAITING; null otherwise. */
    private ScheduledFuture<?> timer;
    /** The number of the attempt in progress or scheduled, since the last connection; 0 while connected. */
    private int attempt;
    /** Failures in a row (a lost connection counts as one): what the wait grows with. */
    private int failures;
    /** How many connections were handed out. */
    private int connections;
    /** What happened last, while not connected; null while connected and before anything happened. */
    private Disconnection last;
    /** How the latest connection ended; null before the first ended. */
    private CloseStatus lastClose;
    /** When the next attempt starts ({@link System#nanoTime()}), while WAITING. */
    private long nextAttemptAt;
    /** Why it stopped, once STOPPED. */
    private String stopReason;
    /** How the logical connection ended: set once STOPPED and no connection is open any more. */
    private CloseStatus finalStatus;

    /**
     * A reconnecting client for {@code client}'s URI and settings, with TLS as {@link WebSocketClient#connect()}
     * decides.
     */
    public ReconnectingClient(WebSocketClient client, ReconnectPolicy policy) {
        this(client, null, policy);
    }

    /**
     * A reconnecting client that connects with TLS from {@code sslContext}, as
     * {@link WebSocketClient#connect(SslContext)} does.
     *
     * @param sslContext a client context, or null to let the client decide as {@link WebSocketClient#connect()} does
     */
    public ReconnectingClient(WebSocketClient client, SslContext sslContext, ReconnectPolicy policy) {
        this.client = Objects.requireNonNull(client, "client");
        this.sslContext = sslContext;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.launcher = client.getCommunicatorSettings().listenerExecutor();
        this.events = new SerialExecutor(launcher);
        this.communicator = new ReconnectingCommunicator(this);
    }

    /**
     * Sets the hook run on every new connection before it is handed out (null for none); set it before
     * {@link #start()}.
     */
    public void setHook(ReconnectHook hook) {
        this.hook = hook;
    }

    /** Sets the listener told about connections, scheduled attempts and the stop (null for none). */
    public void setListener(ReconnectListener listener) {
        this.listener = listener;
    }

    /** The policy. */
    public ReconnectPolicy policy() {
        return policy;
    }

    /** The client that makes each attempt. */
    public WebSocketClient client() {
        return client;
    }

    /**
     * Starts connecting in the background (the first attempt at once) and returns the communicator; use
     * {@link ReconnectingCommunicator#awaitConnected(Duration)} to wait for the connection.
     *
     * @throws IllegalStateException if it was started before
     */
    public ReconnectingCommunicator start() {
        lock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("this reconnecting client was already started");
            }
            state = State.CONNECTING;
            attempt = 1;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        launch();
        return communicator;
    }

    /** The communicator {@link #start()} returns. */
    public ReconnectingCommunicator communicator() {
        return communicator;
    }

    /** {@link #stop(int, String)} with 1000 (normal closure) and no reason. */
    public void stop() {
        stop(CloseCodes.NORMAL_CLOSURE, "");
    }

    /**
     * Stops reconnecting, at once, in any state: cancels the wait for the next attempt or the attempt in
     * progress, and closes the open connection with {@code code} and {@code reason}. The listener's
     * {@code onStopped} says "stopped by the application". Calling it again does nothing.
     *
     * @throws IllegalArgumentException if the code or reason may not be sent (see
     *                                  {@link Communicator#close(int, String)})
     */
    public void stop(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent in a Close frame");
        }
        Communicator toClose = null;
        ScheduledFuture<?> t;
        CompletableFuture<Communicator> p;
        Disconnection lastEvent;
        int attempts;
        CloseStatus end = null;
        lock.lock();
        try {
            if (state == State.STOPPED) {
                return;
            }
            if (state == State.CONNECTED) {
                toClose = current;
            }
            state = State.STOPPED;
            stopReason = "stopped by the application";
            t = timer;
            timer = null;
            p = pending;
            pending = null;
            lastEvent = toClose != null ? null : last;
            attempts = attempt;
            if (toClose == null) {
                end = finalStatusNow();
            }
            emit(l -> l.onStopped(lastEvent, "stopped by the application", attempts));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.cancel(false);
        }
        if (p != null) {
            p.cancel(false); // abandons the attempt, or closes a connection that was already open
        }
        if (toClose != null) {
            toClose.close(code, reason); // its end completes the stop (onConnectionEnded)
        } else {
            communicator.ended(end);
        }
    }

    /** Whether it stopped: nothing more will be attempted. */
    public boolean isStopped() {
        lock.lock();
        try {
            return state == State.STOPPED;
        } finally {
            lock.unlock();
        }
    }

    /** How many connections were handed out so far. */
    public int connections() {
        lock.lock();
        try {
            return connections;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- attempts

    private void launch() {
        CompletableFuture<Communicator> attemptFuture;
        try {
            attemptFuture = sslContext == null ? client.connectAsync() : client.connectAsync(sslContext);
        } catch (RuntimeException e) {
            afterFailure(Disconnection.failed(e));
            return;
        }
        boolean stopped;
        lock.lock();
        try {
            stopped = state == State.STOPPED;
            if (!stopped) {
                pending = attemptFuture;
            }
        } finally {
            lock.unlock();
        }
        if (stopped) {
            attemptFuture.cancel(false);
        }
        attemptFuture.whenComplete(this::onAttemptDone);
    }

    /** On the listener executor (or the thread that launched, if the attempt failed at once). */
    private void onAttemptDone(Communicator connection, Throwable error) {
        boolean stopped;
        int number;
        lock.lock();
        try {
            stopped = state == State.STOPPED;
            pending = null;
            number = connections + 1;
        } finally {
            lock.unlock();
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (stopped || cause instanceof CancellationException) {
            if (connection != null) {
                connection.close(CloseCodes.GOING_AWAY, "reconnecting client stopped");
            }
            return;
        }
        if (cause != null) {
            afterFailure(Disconnection.failed(cause));
            return;
        }
        AtomicBoolean ended = new AtomicBoolean();
        connection.setOnClose((c, status) -> onConnectionEnded(connection, status, ended));
        ReconnectHook h = hook;
        if (h != null) {
            try {
                h.onConnect(connection, number);
            } catch (Throwable t) {
                ended.set(true);
                connection.close(CloseCodes.INTERNAL_ERROR, "reconnect hook failed");
                afterFailure(Disconnection.failed(new WebSocketException("the reconnect hook failed on connection "
                        + number + ": " + t, t)));
                return;
            }
        }
        handOut(connection, ended);
    }

    private void handOut(Communicator connection, AtomicBoolean ended) {
        Communicator previous;
        int attempts;
        int number;
        lock.lock();
        try {
            if (state == State.STOPPED) {
                previous = null;
                attempts = 0;
                number = 0;
            } else {
                previous = current;
                current = connection;
                state = State.CONNECTED;
                connections++;
                number = connections;
                attempts = attempt;
                attempt = 0;
                failures = 0;
                last = null;
                communicator.retire(previous); // its unread messages are still to be read, before the new ones
                int n = number;
                emit(l -> l.onConnected(connection, attempts, n));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (number == 0) {
            ended.set(true);
            connection.close(CloseCodes.GOING_AWAY, "reconnecting client stopped");
            return;
        }
        communicator.attach(connection);
        CloseStatus endedMeanwhile = connection.closeStatus();
        if (endedMeanwhile != null) {
            // Its close listener may have run before it was current, and then did nothing.
            onConnectionEnded(connection, endedMeanwhile, ended);
        }
    }

    /** The close listener of every connection handed out; on the listener executor. */
    private void onConnectionEnded(Communicator connection, CloseStatus status, AtomicBoolean ended) {
        boolean stopping;
        lock.lock();
        try {
            if (connection != current || !ended.compareAndSet(false, true)) {
                return; // not handed out yet (handOut checks again) or already handled
            }
            stopping = state == State.STOPPED;
            if (stopping) {
                finalStatus = status;
            } else {
                state = State.DISCONNECTED;
                lastClose = status;
                last = Disconnection.closed(status); // a stop() before afterFailure runs still ends with it
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (stopping) {
            communicator.ended(status);
        } else {
            afterFailure(Disconnection.closed(status));
        }
    }

    /** Schedules the next attempt, or stops as the policy says. */
    private void afterFailure(Disconnection reason) {
        String why;
        int next;
        Duration delay = null;
        CloseStatus end = null;
        lock.lock();
        try {
            if (state == State.STOPPED) {
                return;
            }
            last = reason;
            failures++;
            next = attempt + 1;
            why = stopReason(reason, next);
            if (why == null) {
                delay = policy.delay(failures, ThreadLocalRandom.current());
                why = schedule(delay);
            }
            if (why == null) {
                attempt = next;
                state = State.WAITING;
                nextAttemptAt = System.nanoTime() + delay.toNanos();
                Duration wait = delay;
                emit(l -> l.onReconnectScheduled(reason, next, wait));
            } else {
                state = State.STOPPED;
                stopReason = why;
                end = finalStatusNow();
                String stopWhy = why;
                emit(l -> l.onStopped(reason, stopWhy, next - 1));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        String what = end == null ? "attempt " + next + " in " + delay.toMillis() + " ms" : why;
        LOG.log(Log.Level.DEBUG, () -> client.getUri() + " " + reason.describe() + "; " + what);
        if (end != null) {
            communicator.ended(end);
        }
    }

    /** Why {@code reason} ends reconnecting before attempt {@code next}, or null to go on. */
    private String stopReason(Disconnection reason, int next) {
        switch (reason.kind()) {
            case CLOSED:
                int code = reason.closeStatus().orElseThrow().code();
                if (policy.stopsOnCloseCode(code)) {
                    return "close code " + code + " is one the policy stops on";
                }
                break;
            case REFUSED:
                int status = reason.handshakeStatus().orElseThrow();
                if (policy.stopsOnHandshakeStatus(status)) {
                    return "handshake status " + status + " is one the policy stops on";
                }
                break;
            default:
                Throwable error = reason.error().orElseThrow();
                if (error instanceof WebSocketRedirectException
                        || !(error instanceof IOException || error instanceof WebSocketException)) {
                    return "retrying cannot help: " + error.getMessage();
                }
        }
        if (!policy.allowsAttempt(next)) {
            return (next - 1) + " attempts in a row failed, the most the policy allows";
        }
        return null;
    }

    /** Starts the timer of the next attempt (lock held); null, or why it cannot be. */
    private String schedule(Duration delay) {
        EventLoopGroup own = client.getEventLoopGroup();
        EventLoopGroup group = own != null ? own : ClientEventLoops.shared();
        try {
            timer = group.next().schedule(this::onTimer, delay.toNanos(), TimeUnit.NANOSECONDS);
            return null;
        } catch (RejectedExecutionException e) {
            return "the event loop group is shut down";
        }
    }

    /** On an event loop: the wait is over; the attempt starts on {@link #launcher}. */
    private void onTimer() {
        lock.lock();
        try {
            if (state != State.WAITING) {
                return;
            }
            state = State.CONNECTING;
            timer = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            launcher.execute(this::launch);
        } catch (RejectedExecutionException e) {
            afterFailure(Disconnection.failed(e)); // not an I/O error: it stops reconnecting, saying why
        }
    }

    /** The status the logical connection ended with, when no connection is open (lock held). */
    private CloseStatus finalStatusNow() {
        if (finalStatus == null) {
            finalStatus = last != null && last.closeStatus().isPresent() ? last.closeStatus().get()
                    : CloseStatus.abnormal(stopReason);
        }
        return finalStatus;
    }

    /** Queues a listener call; called with the lock held, so that the calls come in the order of the changes. */
    private void emit(Consumer<ReconnectListener> event) {
        ReconnectListener l = listener;
        if (l != null) {
            events.execute(() -> event.accept(l));
        }
    }

    // ---------------------------------------------------------------- for the communicator

    /**
     * The connection to write to.
     *
     * @throws WebSocketReconnectingException while there is none and the client is reconnecting
     * @throws WebSocketClosedException       once it stopped
     */
    Communicator connectionForWriting() {
        lock.lock();
        try {
            if (state == State.CONNECTED) {
                return current;
            }
            throw outage(null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The exception for a write that found no connection; {@code cause} is the write's own exception when the
     * connection ended under it.
     */
    WebSocketClosedException outage(WebSocketClosedException cause) {
        lock.lock();
        try {
            WebSocketClosedException e;
            String uri = String.valueOf(client.getUri());
            CloseStatus lastStatus = lastClose;
            switch (state) {
                case NEW:
                    e = new WebSocketClosedException("not sent: the reconnecting client for " + uri
                            + " was not started", null);
                    break;
                case STOPPED:
                    e = new WebSocketClosedException("not sent: the connection to " + uri + " is closed, "
                            + stopReason, finalStatus);
                    break;
                case CONNECTED:
                    e = new WebSocketReconnectingException("not sent: the connection to " + uri
                            + " ended during the write, reconnecting", cause == null ? null : cause.closeStatus());
                    break;
                default:
                    // A close is in the exception's own "(code ...)"; a failed attempt is said here.
                    String failure = last != null && last.kind() != Disconnection.Kind.CLOSED
                            ? " (" + last.describe() + ")" : "";
                    e = new WebSocketReconnectingException("not sent: the connection to " + uri + " is "
                            + (connections == 0 ? "not open yet" : "down") + failure + ", "
                            + (connections == 0 ? "connecting: " : "reconnecting: ") + nextStep(), lastStatus);
            }
            if (cause != null) {
                e.initCause(cause);
            }
            return e;
        } finally {
            lock.unlock();
        }
    }

    private String nextStep() {
        switch (state) {
            case WAITING:
                long nanos = Math.max(0, nextAttemptAt - System.nanoTime());
                return "attempt " + attempt + " in " + Durations.describe(Duration.ofMillis(nanos / 1_000_000));
            case CONNECTING:
                return "attempt " + attempt + " in progress";
            default:
                return "the next attempt is being scheduled";
        }
    }

    /** The latest connection handed out, open or not; null before the first. */
    Communicator latest() {
        lock.lock();
        try {
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a connection is handed out and has not ended (it may be closing). */
    boolean connected() {
        lock.lock();
        try {
            return state == State.CONNECTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the latest connection is not {@code seen}, or the client stopped, or {@code deadline}
     * ({@link System#nanoTime()}; {@code Long.MAX_VALUE} for none) passed.
     *
     * @return whether the latest connection changed
     */
    boolean awaitOther(Communicator seen, long deadline) {
        lock.lock();
        try {
            while (current == seen && state != State.STOPPED) {
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                awaitChange(left);
            }
            return current != seen;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until connected (true), stopped (false) or {@code timeout} passed (false). */
    boolean awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (state != State.CONNECTED) {
                long left = deadline - System.nanoTime();
                if (state == State.STOPPED || left <= 0) {
                    return false;
                }
                awaitChange(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the logical connection ended, at most until {@code deadline} (nanoTime; MAX_VALUE for none). */
    CloseStatus awaitEnd(long deadline) {
        lock.lock();
        try {
            while (finalStatus == null || state != State.STOPPED) {
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                awaitChange(left);
            }
            return finalStatus;
        } finally {
            lock.unlock();
        }
    }

    /** How the logical connection ended, or null until it did. */
    CloseStatus endStatus() {
        lock.lock();
        try {
            return state == State.STOPPED ? finalStatus : null;
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange(long nanos) {
        try {
            if (nanos == Long.MAX_VALUE) {
                changed.await();
            } else {
                changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebSocketInterruptedException("interrupted while waiting for the reconnecting"
                    + " connection to " + client.getUri(), e);
        }
    }
}
