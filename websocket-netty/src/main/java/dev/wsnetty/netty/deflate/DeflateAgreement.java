package dev.wsnetty.netty.deflate;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.Optional;

/**
 * The permessage-deflate agreement of a connection. While the connection is open it is read from its
 * {@link PerMessageDeflateHandler}, which both handshakes add, with what they agreed, before the application's hook
 * (so the endpoint's {@code opened} and the client's {@code onOpen} can see what was negotiated): an open connection
 * keeps no channel attribute for it, so that compression costs an idle connection as little heap as possible. When
 * the handler leaves the pipeline (the channel ended, or someone removed it) it hands the agreement to a channel
 * attribute, so that it stays readable afterwards.
 */
public final class DeflateAgreement {
    /** The agreement of a connection whose handler has left its pipeline; absent before. */
    private static final AttributeKey<DeflateParameters> AFTER_HANDLER =
            AttributeKey.valueOf(DeflateAgreement.class, "afterHandler");

    private DeflateAgreement() {
    }

    /**
     * What {@code channel} agreed on; empty when it compresses nothing (or has not finished its handshake).
     * Thread-safe.
     */
    public static Optional<DeflateParameters> of(Channel channel) {
        PerMessageDeflateHandler handler = channel.pipeline().get(PerMessageDeflateHandler.class);
        if (handler != null) {
            return Optional.of(handler.agreed());
        }
        // hasAttr first: attr() would add an attribute to every uncompressed channel it is asked about.
        return channel.hasAttr(AFTER_HANDLER) ? Optional.ofNullable(channel.attr(AFTER_HANDLER).get())
                : Optional.empty();
    }

    /** Keeps {@code agreed} for {@link #of} once the handler of {@code channel} is leaving its pipeline. */
    static void keepAfterHandler(Channel channel, DeflateParameters agreed) {
        channel.attr(AFTER_HANDLER).setIfAbsent(agreed);
    }
}
