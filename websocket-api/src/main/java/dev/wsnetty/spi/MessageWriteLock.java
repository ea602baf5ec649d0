package dev.wsnetty.spi;

import dev.wsnetty.WebSocketInterruptedException;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The lock that lets one message at a time onto the wire. It is owned by a token (the message stream, which may
 * be closed by another thread than the one that started it) rather than by a thread; it is not reentrant (a
 * thread that started two message streams would otherwise wait for itself), and it lets waiting writers give up
 * when the connection closes, even if the owner never releases it. First come, first served.
 *
 * <p>Every connection that writes has one (made by its first writer) and most never see two writers at once, so
 * it is the (fair) lock it is built on rather than holding one, and it creates its condition only when a writer
 * first has to wait.
 */
final class MessageWriteLock extends ReentrantLock {
    /** Signalled when the owner releases the lock; created under the lock by the first writer that waits. */
    private Condition released;
    private Object owner;
    private Thread ownerThread;
    private boolean closed;

    MessageWriteLock() {
        super(true);
    }

    /**
     * Blocks until {@code token} owns the lock.
     *
     * @param token       what owns the lock until {@link #release(Object)} is called with it
     * @param closedError the exception to throw if the connection closed before the lock was free
     */
    void acquire(Object token, Supplier<RuntimeException> closedError) {
        Thread me = Thread.currentThread();
        lock();
        try {
            if (ownerThread == me) {
                throw new IllegalStateException("this thread is already writing a message on this connection;"
                        + " close that message stream before starting another");
            }
            while (owner != null) {
                if (closed) {
                    throw closedError.get();
                }
                if (released == null) {
                    released = newCondition();
                }
                try {
                    released.await();
                } catch (InterruptedException e) {
                    // Pass the wake-up on, in case the release signal was meant for this thread.
                    released.signal();
                    Thread.currentThread().interrupt();
                    throw new WebSocketInterruptedException("interrupted while waiting to write a message", e);
                }
            }
            owner = token;
            ownerThread = me;
        } finally {
            unlock();
        }
    }

    /** Releases the lock if {@code token} owns it. */
    void release(Object token) {
        lock();
        try {
            if (owner == token) {
                owner = null;
                ownerThread = null;
                if (released != null) {
                    released.signal();
                }
            }
        } finally {
            unlock();
        }
    }

    /** The connection closed: every waiting writer gives up. */
    void close() {
        lock();
        try {
            closed = true;
            if (released != null) {
                released.signalAll();
            }
        } finally {
            unlock();
        }
    }
}
