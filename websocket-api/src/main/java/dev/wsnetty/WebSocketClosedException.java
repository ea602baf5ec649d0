package dev.wsnetty;

/**
 * A write (or another operation that needs an open connection) was attempted on a connection that is closed or
 * closing (the original's {@code EWebsocketWriteError('Stream already closed')}). Once a Close frame has been
 * sent no data may follow it, so writes fail from that moment, not only after the TCP connection is gone.
 */
public class WebSocketClosedException extends WebSocketException {
    private final transient CloseStatus closeStatus;

    /**
     * An exception for a connection that is closed or closing.
     *
     * @param message     what was attempted and why it failed
     * @param closeStatus how the connection ended, or null while the closing handshake is still in progress
     */
    public WebSocketClosedException(String message, CloseStatus closeStatus) {
        super(closeStatus == null ? message : message + " (" + closeStatus.describe() + ")");
        this.closeStatus = closeStatus;
    }

    /** How the connection ended, or null if it was still closing when the operation failed. */
    public CloseStatus closeStatus() {
        return closeStatus;
    }
}
