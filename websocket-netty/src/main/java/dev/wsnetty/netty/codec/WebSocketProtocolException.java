package dev.wsnetty.netty.codec;

import dev.wsnetty.WebSocketProtocol;

/**
 * The peer broke the protocol or a configured limit, and the connection must be closed with
 * {@link #closeCode()}. Raised by the codec through {@code exceptionCaught}; the protocol handler turns
 * it into the one Close frame of the connection.
 *
 * <p>The decoder raises one subclass per close code, so the code goes with the type:
 * {@link ProtocolErrorException} (1002), {@link InvalidPayloadException} (1007) and
 * {@link MessageTooBigException} (1009). None records a stack trace: a violation is the peer's doing, and
 * the trace would only show the decoder's read path.
 */
public class WebSocketProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * @param closeCode the close code to send (1002, 1007, 1009, ...)
     * @param reason    a short reason, sent as the close reason
     * @throws IllegalArgumentException if {@code reason} is over 123 bytes of UTF-8 (the close reason rule of
     *                                  {@link WebSocketProtocol})
     */
    public WebSocketProtocolException(int closeCode, String reason) {
        super(WebSocketProtocol.checkCloseReason(reason), null, false, false);
        this.closeCode = closeCode;
    }

    /** The close code this violation calls for. */
    public int closeCode() {
        return closeCode;
    }
}
