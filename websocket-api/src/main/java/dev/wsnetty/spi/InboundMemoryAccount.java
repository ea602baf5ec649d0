package dev.wsnetty.spi;

/**
 * One connection's share of a memory budget for received data that is buffered and not yet taken by the
 * application: a transport gives it to its {@link QueuedCommunicator}, which reserves the size of each queued
 * message and releases it when the message is taken (or the queue is dropped). The budget may pause reading or
 * close the connection when the whole server holds too much.
 *
 * <p>Implementations are thread-safe and never block: messages are queued on the transport's thread and taken on
 * handler threads. Calls after the connection ended are ignored.
 */
public interface InboundMemoryAccount {
    /** An account that counts nothing: no budget. */
    InboundMemoryAccount NONE = new InboundMemoryAccount() {
        @Override
        public void reserve(long bytes) {
        }

        @Override
        public void release(long bytes) {
        }
    };

    /**
     * Counts {@code bytes} more as held by this connection.
     *
     * @param bytes at least 0
     */
    void reserve(long bytes);

    /**
     * Counts {@code bytes} fewer as held by this connection: they were handed on or dropped.
     *
     * @param bytes at least 0, at most what was reserved and not released yet
     */
    void release(long bytes);
}
