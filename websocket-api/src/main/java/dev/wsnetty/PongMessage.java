package dev.wsnetty;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A received pong (the original's {@code TWebsocketPongMessage}): the answer to a {@link Communicator#ping ping},
 * or an unsolicited pong the peer sent as a heartbeat. The payload is at most 125 bytes.
 *
 * <p>Ownership: as for {@link BinaryMessage}, the array passed in is kept and returned as is.
 */
public final class PongMessage implements WebSocketMessage {
    private final byte[] payload;

    /**
     * A pong that takes ownership of {@code payload}.
     *
     * @param payload the pong's application data, not null, possibly empty
     */
    public PongMessage(byte[] payload) {
        this.payload = Objects.requireNonNull(payload, "payload");
    }

    /** The payload itself, not a copy. */
    public byte[] payload() {
        return payload;
    }

    /**
     * The payload decoded as UTF-8, as the original exposed it ({@code Data: UTF8String}); bytes that are not
     * valid UTF-8 become U+FFFD.
     */
    public String asString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Always {@link MessageType#PONG}. */
    @Override
    public MessageType type() {
        return MessageType.PONG;
    }

    /** Equal to another pong with the same payload. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PongMessage && Arrays.equals(((PongMessage) o).payload, payload);
    }

    /** A hash of the payload. */
    @Override
    public int hashCode() {
        return Arrays.hashCode(payload);
    }

    /** The type and length, for logs. */
    @Override
    public String toString() {
        return "PongMessage[" + payload.length + " bytes]";
    }
}
