package dev.wsnetty;

/**
 * A message received on a WebSocket connection and held in its {@link Communicator}'s queue: a
 * {@link StringMessage}, a {@link BinaryMessage} or a {@link PongMessage}. Messages are immutable values.
 */
public sealed interface WebSocketMessage permits StringMessage, BinaryMessage, PongMessage {
    /** The type of this message: {@link MessageType#STRING}, {@link MessageType#BINARY} or {@link MessageType#PONG}. */
    MessageType type();
}
