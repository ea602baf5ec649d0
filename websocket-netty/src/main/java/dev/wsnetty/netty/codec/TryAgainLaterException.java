package dev.wsnetty.netty.codec;

import dev.wsnetty.CloseCodes;

/**
 * The connection holds a large share of the server's inbound memory budget
 * ({@link dev.wsnetty.netty.InboundMemoryBudget}) when the server is past it: close with
 * {@link CloseCodes#TRY_AGAIN_LATER 1013}, the peer may come back later. Not the peer's fault as such; raised by
 * the frame decoder through the same path as a violation, so that the protocol handler sends the one Close frame.
 */
public final class TryAgainLaterException extends WebSocketProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param reason why, with the figures, sent as the close reason (under 123 bytes of UTF-8)
     */
    public TryAgainLaterException(String reason) {
        super(CloseCodes.TRY_AGAIN_LATER, reason);
    }
}
