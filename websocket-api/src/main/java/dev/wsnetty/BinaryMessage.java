package dev.wsnetty;

import java.util.Arrays;
import java.util.Objects;

/**
 * A received binary message (the original's {@code TWebsocketBinaryMessage}).
 *
 * <p>Ownership: the message takes the array given to its constructor without copying it, and {@link #data()}
 * returns that same array, so a large message is never copied twice. Whoever creates a message hands the array
 * over and must not change it afterwards; a receiver may read it freely and should copy it before changing it
 * if it shares the message with others.
 */
public final class BinaryMessage implements WebSocketMessage {
    private final byte[] data;

    /**
     * A binary message that takes ownership of {@code data} (see the class description).
     *
     * @param data the payload, not null, possibly empty
     */
    public BinaryMessage(byte[] data) {
        this.data = Objects.requireNonNull(data, "data");
    }

    /** The payload itself, not a copy (see the class description). */
    public byte[] data() {
        return data;
    }

    /** Always {@link MessageType#BINARY}. */
    @Override
    public MessageType type() {
        return MessageType.BINARY;
    }

    /** Equal to another binary message with the same bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryMessage && Arrays.equals(((BinaryMessage) o).data, data);
    }

    /** A hash of the bytes. */
    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    /** The type and length, for logs. */
    @Override
    public String toString() {
        return "BinaryMessage[" + data.length + " bytes]";
    }
}
