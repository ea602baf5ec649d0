package dev.wsnetty.netty.deflate;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.Objects;
import java.util.Optional;

/**
 * The permessage-deflate agreement of a connection, kept as a channel attribute: set by the server's and the
 * client's handshake handlers before the frame handlers and the application's hook are added, so the codec, the
 * endpoint's {@code opened} and the client's {@code onOpen} can all see what was negotiated.
 */
public final class DeflateAgreement {
    private static final AttributeKey<DeflateParameters> AGREED =
            AttributeKey.valueOf(DeflateAgreement.class, "agreed");

    private DeflateAgreement() {
    }

    /** What {@code channel} agreed on; empty when it compresses nothing (or has not finished its handshake). */
    public static Optional<DeflateParameters> of(Channel channel) {
        return Optional.ofNullable(channel.attr(AGREED).get());
    }

    /**
     * Records the agreement of {@code channel}; called by a handshake handler once, when it switches to frames.
     * Thread-safe.
     */
    public static void set(Channel channel, DeflateParameters agreed) {
        channel.attr(AGREED).set(Objects.requireNonNull(agreed, "agreed"));
    }
}
