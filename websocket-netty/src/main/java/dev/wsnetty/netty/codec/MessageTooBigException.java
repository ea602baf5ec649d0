package dev.wsnetty.netty.codec;

import dev.wsnetty.CloseCodes;

/**
 * A frame or message is larger than the configured limit ({@code WebSocketConfig.maxFrameSize()} or
 * {@code maxMessageSize()}), known from its header before the excess is read: close with
 * {@link CloseCodes#MESSAGE_TOO_BIG 1009}.
 */
public final class MessageTooBigException extends WebSocketProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param reason the size and the limit, sent as the close reason (keep it under 123 bytes of UTF-8)
     */
    public MessageTooBigException(String reason) {
        super(CloseCodes.MESSAGE_TOO_BIG, reason);
    }
}
