package dev.wsnetty;

import dev.wsnetty.internal.VirtualThreads;

/**
 * Which threads a {@link ThreadedWebSocketHandler} runs its connections on.
 *
 * <table>
 *   <caption>Kinds</caption>
 *   <tr><th>kind</th><th>threads</th><th>names</th></tr>
 *   <tr><td>{@link #VIRTUAL}</td><td>a new virtual thread per connection (Java 21+)</td>
 *       <td>none (the empty string): a name would cost every parked connection about 70 bytes</td></tr>
 *   <tr><td>{@link #POOLED_PLATFORM}</td><td>a shared, unbounded pool of daemon platform threads; idle threads are
 *       reused and retired after 60 s</td><td>{@code wsnetty-handler-N}</td></tr>
 *   <tr><td>{@link #NEW_PLATFORM}</td><td>a new daemon platform thread per connection</td>
 *       <td>{@code wsnetty-handler-N}</td></tr>
 * </table>
 */
public enum HandlerThreadKind {
    /** A new virtual thread per connection; needs Java 21 or later. */
    VIRTUAL,
    /** A thread from the shared pool of platform threads (the original's pooled handler threads). */
    POOLED_PLATFORM,
    /** A new platform thread per connection (the original's {@code Pooling=False}). */
    NEW_PLATFORM;

    /**
     * The kind the original's {@code pooling} flag maps to on this JVM: {@link #VIRTUAL} when virtual threads
     * exist (they are cheap to create, so there is nothing to pool), else {@link #POOLED_PLATFORM} or
     * {@link #NEW_PLATFORM}.
     *
     * @param pooling whether platform threads should be pooled when virtual threads are not available
     */
    public static HandlerThreadKind preferred(boolean pooling) {
        if (VirtualThreads.isAvailable()) {
            return VIRTUAL;
        }
        return pooling ? POOLED_PLATFORM : NEW_PLATFORM;
    }

    /** Whether this JVM can run handlers on this kind of thread (only {@link #VIRTUAL} needs Java 21+). */
    public boolean isAvailable() {
        return this != VIRTUAL || VirtualThreads.isAvailable();
    }
}
