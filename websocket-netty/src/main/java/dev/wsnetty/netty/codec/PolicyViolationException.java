package dev.wsnetty.netty.codec;

import dev.wsnetty.CloseCodes;

/**
 * The peer broke a policy of this end that is not about sizes: a frame or message not complete within its
 * deadline ({@code WebSocketConfig.frameTimeout()}, {@code messageTimeout()}), or a message of more frames than
 * {@code WebSocketConfig.maxFramesPerMessage()}: close with {@link CloseCodes#POLICY_VIOLATION 1008}.
 */
public final class PolicyViolationException extends WebSocketProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param reason what was broken, with the figures, sent as the close reason (under 123 bytes of UTF-8)
     */
    public PolicyViolationException(String reason) {
        super(CloseCodes.POLICY_VIOLATION, reason);
    }
}
