package dev.wsnetty.netty.codec;

import dev.wsnetty.CloseCodes;

/**
 * A frame broke a framing rule of RFC 6455 §5 (reserved bits or opcodes, masking, control frame limits,
 * fragment order, length encoding, close code): close with {@link CloseCodes#PROTOCOL_ERROR 1002}.
 */
public final class ProtocolErrorException extends WebSocketProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param reason what was wrong, sent as the close reason (keep it under 123 bytes of UTF-8)
     */
    public ProtocolErrorException(String reason) {
        super(CloseCodes.PROTOCOL_ERROR, reason);
    }
}
