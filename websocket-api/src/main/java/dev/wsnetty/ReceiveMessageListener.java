package dev.wsnetty;

/**
 * Told that messages are waiting in a communicator's queue (the original's {@code OnReceiveMessage}). It usually
 * drains the queue with {@link Communicator#getUnprocessedMessages(java.util.List)}.
 *
 * <p>Called off the transport thread, on the connection's listener executor: calls for one connection never
 * overlap each other or the {@link CloseListener}, and {@link Communicator#inReceiveMessageThread()} is true
 * during them. A call may find the queue already empty (another thread or an earlier call drained it). An
 * exception thrown here is logged and does not stop later calls.
 */
@FunctionalInterface
public interface ReceiveMessageListener {
    /**
     * Messages were queued on {@code communicator}.
     *
     * @param communicator the connection whose queue has messages
     */
    void onReceiveMessage(Communicator communicator);
}
