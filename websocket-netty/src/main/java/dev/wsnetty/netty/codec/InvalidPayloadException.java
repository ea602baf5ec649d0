package dev.wsnetty.netty.codec;

import dev.wsnetty.CloseCodes;

/**
 * A payload is not what its frame promises: text or a close reason that is not valid UTF-8 (RFC 6455
 * §8.1): close with {@link CloseCodes#INVALID_PAYLOAD 1007}.
 */
public final class InvalidPayloadException extends WebSocketProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param reason what was wrong, sent as the close reason (keep it under 123 bytes of UTF-8)
     */
    public InvalidPayloadException(String reason) {
        super(CloseCodes.INVALID_PAYLOAD, reason);
    }
}
