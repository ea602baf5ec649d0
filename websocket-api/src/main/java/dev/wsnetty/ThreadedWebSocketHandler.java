package dev.wsnetty;

import dev.wsnetty.internal.RateLimitedLog;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A handler that gives each connection its own thread (the original's {@code TThreadedWebsocketHandler}):
 * {@link #handleCommunication} returns at once and the lifecycle runs on a handler thread, so
 * {@code doHandleCommunication} may block for as long as the connection should live.
 *
 * <p>The thread is a virtual thread when the JVM has them (Java 21+), otherwise a pooled or a new platform
 * thread, as the {@code pooling} flag says (see {@link HandlerThreadKind}). The original also started a receiver
 * thread per connection; here the transport is the receiver, and this handler switches on listener dispatch
 * ({@link Communicator#startReceiveMessageThread()}) after {@link #prepareCommunication} and off again before
 * {@link #finalizeCommunication}, as the original started and stopped its receiver thread.
 *
 * <p>An exception thrown by prepare, do or finalize is logged as an error with its stack trace and the connection
 * is closed with 1011, unless it is a {@link WebSocketClosedException}: a write after the connection closed (the
 * peer's Close arrived while a message was being answered) is the connection's normal end, logged at DEBUG with
 * the real close code. The handler thread is never lost (a pooled thread goes back to the pool).
 */
public class ThreadedWebSocketHandler extends WebSocketHandler {

    private final HandlerThreadKind threadKind;
    private final Executor executor;
    /** Lines about failures any peer can cause at will (write timeouts): one per 10 s for this handler. */
    private final RateLimitedLog networkFailures = new RateLimitedLog(RateLimitedLog.DEFAULT_INTERVAL,
            System::nanoTime);

    /** A handler with pooling on: virtual threads on Java 21+, pooled platform threads before. */
    public ThreadedWebSocketHandler() {
        this(true);
    }

    /**
     * A handler on the threads the original's flag maps to: {@link HandlerThreadKind#preferred(boolean)}.
     *
     * @param pooling on a JVM without virtual threads: reuse pooled platform threads (true) or start a new
     *                platform thread per connection (false)
     */
    public ThreadedWebSocketHandler(boolean pooling) {
        this(HandlerThreadKind.preferred(pooling));
    }

    /**
     * A handler on an explicit kind of thread, e.g. {@link HandlerThreadKind#POOLED_PLATFORM} on Java 21+ to keep
     * code that pins virtual threads off them.
     *
     * @param threadKind the kind of handler thread
     * @throws UnsupportedOperationException if the kind is {@link HandlerThreadKind#VIRTUAL} and this JVM has no
     *                                       virtual threads
     */
    public ThreadedWebSocketHandler(HandlerThreadKind threadKind) {
        Objects.requireNonNull(threadKind, "threadKind");
        if (!threadKind.isAvailable()) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or later; this JVM is Java "
                    + Runtime.version().feature() + ". Use POOLED_PLATFORM or NEW_PLATFORM");
        }
        this.threadKind = threadKind;
        this.executor = HandlerExecutors.of(threadKind);
    }

    /** The kind of thread this handler runs connections on. */
    public final HandlerThreadKind threadKind() {
        return threadKind;
    }

    /**
     * Hands the connection to a handler thread and returns at once. (A server that reserves the thread before
     * the handshake's answer calls {@link #handleCommunication(Communicator, HandlerThread)} instead.) On that thread: prepare, start listener
     * dispatch, do; then (always) stop listener dispatch and finalize. Failures are logged and close the connection
     * with 1011, except writes after the connection closed (see the class comment).
     *
     * @param communicator the new connection
     */
    @Override
    public void handleCommunication(Communicator communicator) {
        executor.execute(new Lifecycle(this, communicator));
    }

    /** Whether {@link #threadKind()} is a platform thread: each connection then holds one while it lives. */
    @Override
    public boolean runsOnPlatformThreads() {
        return threadKind != HandlerThreadKind.VIRTUAL;
    }

    /**
     * Reserves a thread of this handler's {@link #threadKind()} for a connection that is not open yet: a platform
     * thread is started (or taken from the pool) now and waits; a virtual thread is started when used. Pass it to
     * {@link #handleCommunication(Communicator, HandlerThread)}.
     */
    @Override
    public HandlerThread reserveThread(Runnable whenEnded) {
        return runsOnPlatformThreads() ? HandlerThread.startNow(executor, whenEnded)
                : HandlerThread.onDemand(executor, whenEnded);
    }

    /**
     * As {@link #handleCommunication(Communicator)}, on a thread reserved with {@link #reserveThread}: servers
     * reserve it before answering the handshake, so that a connection is never opened without a thread to serve
     * it. Returns at once.
     *
     * @param communicator the new connection
     * @param thread       the reserved thread, used up by this call
     */
    public void handleCommunication(Communicator communicator, HandlerThread thread) {
        thread.run(new Lifecycle(this, communicator));
    }

    /**
     * The task of a handler thread. A named class whose {@code run} is the whole lifecycle rather than a lambda
     * calling a method: each of those calls would be one more frame in every parked thread's stack, which a
     * virtual thread keeps on the heap.
     */
    private static final class Lifecycle implements Runnable {
        private final ThreadedWebSocketHandler handler;
        private final Communicator communicator;

        Lifecycle(ThreadedWebSocketHandler handler, Communicator communicator) {
            this.handler = handler;
            this.communicator = communicator;
        }

        @Override
        public void run() {
            try {
                try {
                    handler.prepareCommunication(communicator);
                    communicator.startReceiveMessageThread();
                    handler.doHandleCommunication(communicator);
                } catch (WebSocketTimeoutException e) {
                    HandlerEndings.writeTimedOut(handler.networkFailures, communicator, e);
                } catch (Throwable t) {
                    HandlerEndings.failed(communicator, t, "the handler");
                } finally {
                    communicator.stopReceiveMessageThread();
                    handler.finalizeCommunication(communicator);
                }
            } catch (Throwable t) {
                HandlerEndings.failed(communicator, t, "finalizeCommunication");
            }
        }
    }
}
