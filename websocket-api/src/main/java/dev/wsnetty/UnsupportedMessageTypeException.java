package dev.wsnetty;

/**
 * {@link Communicator#waitForMessage(java.util.Set)} was asked for a message type that is never queued
 * ({@link MessageType#PING} or {@link MessageType#CLOSE}), as the original's
 * {@code EUnsupportedMessageTypeException}: such a wait could never end.
 */
public class UnsupportedMessageTypeException extends WebSocketException {
    /** The type that was asked for. */
    private final MessageType messageType;

    /**
     * An exception naming the type that cannot be waited for.
     *
     * @param messageType the unsupported type
     */
    public UnsupportedMessageTypeException(MessageType messageType) {
        super("cannot wait for " + messageType + " messages: only STRING, BINARY and PONG messages are queued"
                + " (pings are answered automatically, a close ends the connection)");
        this.messageType = messageType;
    }

    /** The type that was asked for. */
    public MessageType messageType() {
        return messageType;
    }
}
