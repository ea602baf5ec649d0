package dev.wsnetty.netty.protocol;

import dev.wsnetty.WebSocketProtocol;

import java.nio.channels.ClosedChannelException;

/**
 * A data, ping or pong frame was written after this endpoint had sent its Close frame. RFC 6455 §5.5.1
 * forbids sending anything after Close, so the {@link ProtocolHandler} releases the frame and fails the
 * write's promise with this exception. It is a {@link ClosedChannelException} because, for the writer,
 * the connection is as good as closed.
 */
public final class CloseHandshakeStartedException extends ClosedChannelException {
    private static final long serialVersionUID = 1L;

    private final int opcode;

    /**
     * @param opcode the opcode of the frame that could not be sent
     */
    public CloseHandshakeStartedException(int opcode) {
        this.opcode = opcode;
    }

    /** The opcode of the frame that could not be sent. */
    public int opcode() {
        return opcode;
    }

    /** Says what was refused and why. */
    @Override
    public String getMessage() {
        return "WebSocket close handshake already started: the " + WebSocketProtocol.opcodeName(opcode)
                + " frame was not sent because a Close frame has been sent";
    }

    /** No stack trace: it would only show the event loop's write path, and writes after close can be many. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
