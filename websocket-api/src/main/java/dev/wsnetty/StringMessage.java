package dev.wsnetty;

import java.util.Objects;

/** A received text message (the original's {@code TWebsocketStringMessage}); its text was valid UTF-8 on the wire. */
public final class StringMessage implements WebSocketMessage {
    private final String data;

    /**
     * A text message.
     *
     * @param data the text, not null
     */
    public StringMessage(String data) {
        this.data = Objects.requireNonNull(data, "data");
    }

    /** The text of the message (possibly empty, never null). */
    public String data() {
        return data;
    }

    /** Always {@link MessageType#STRING}. */
    @Override
    public MessageType type() {
        return MessageType.STRING;
    }

    /** Equal to another string message with the same text. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StringMessage && ((StringMessage) o).data.equals(data);
    }

    /** A hash of the text. */
    @Override
    public int hashCode() {
        return data.hashCode();
    }

    /** The type and length, for logs (the text itself may be large or private). */
    @Override
    public String toString() {
        return "StringMessage[" + data.length() + " chars]";
    }
}
