package dev.wsnetty;

/**
 * Told once that a connection has ended (the original's {@code OnClose}), with the close code and reason.
 *
 * <p>Called exactly once per connection, off the transport thread, on the connection's listener executor after
 * every {@link ReceiveMessageListener} call for messages that arrived before the close. The communicator is no
 * longer open, but its {@link Communicator#remoteAddress() remote address} is still readable and messages still
 * queued can still be taken. An exception thrown here is logged.
 */
@FunctionalInterface
public interface CloseListener {
    /**
     * The connection ended.
     *
     * @param communicator the connection that ended
     * @param status       how it ended (code and reason; 1006 if there was no closing handshake)
     */
    void onClose(Communicator communicator, CloseStatus status);
}
