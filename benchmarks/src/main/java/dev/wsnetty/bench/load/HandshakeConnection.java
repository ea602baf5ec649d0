package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One connection's whole life for the handshake benchmark: sends the upgrade request when connected, checks the
 * 101 and its {@code Sec-WebSocket-Accept}, sends a masked Close (1000), reads the server's Close and then waits for
 * the server to end the TCP connection. The client closes its socket only after the server's FIN, so the server
 * side is the one left in TIME_WAIT and the client's ephemeral port is free at once. Any deviation fails the
 * connection (recorded, channel closed). All state lives on the channel's event loop.
 */
final class HandshakeConnection extends ChannelInboundHandlerAdapter {
    private enum State { HANDSHAKE, CLOSE_SENT, CLOSE_RECEIVED, DONE }

    private static final int CLOSE_HEADER = 0x88;

    private final HandshakeLoad.Slot slot;
    private final ClientHandshake handshake;
    private final long startedAt;
    private State state = State.HANDSHAKE;
    /** Bytes of the server's Close frame still expected: -1 until its 2-byte header has been read. */
    private int closeLeft = -1;
    /** The first byte of the server's Close header while the second has not arrived; -1 otherwise. */
    private int closeFirst = -1;

    HandshakeConnection(HandshakeLoad.Slot slot, ClientHandshake handshake, long startedAt) {
        this.slot = slot;
        this.handshake = handshake;
        this.startedAt = startedAt;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(handshake.request(ctx.alloc())).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (state == State.HANDSHAKE) {
                if (!handshake.read(in)) {
                    return;
                }
                state = State.CLOSE_SENT;
                ctx.writeAndFlush(slot.close()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            }
            if (state == State.CLOSE_SENT) {
                readClose(in);
            }
            if (in.isReadable() && state != State.DONE) {
                throw new IllegalStateException("the server sent " + in.readableBytes() + " bytes after its Close");
            }
        } catch (IllegalStateException e) {
            fail(ctx, e.getMessage());
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.CLOSE_RECEIVED) {
            state = State.DONE;
            slot.finished(System.nanoTime() - startedAt);
        } else if (state != State.DONE) {
            String reason = state == State.HANDSHAKE ? "the server closed during the handshake"
                    : "the server closed without a Close frame";
            state = State.DONE;
            slot.failed(reason);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.toString());
    }

    /** Reads the server's Close frame: unmasked, FIN, opcode 8, at most 125 payload bytes (RFC 6455 §5.5). */
    private void readClose(ByteBuf in) {
        if (closeLeft < 0) {
            if (closeFirst < 0 && in.isReadable()) {
                closeFirst = in.readUnsignedByte();
                if (closeFirst != CLOSE_HEADER) {
                    throw new IllegalStateException(String.format("expected the server's Close, got a frame starting "
                            + "0x%02x", closeFirst));
                }
            }
            if (!in.isReadable()) {
                return;
            }
            int second = in.readUnsignedByte();
            if (second > 125) {
                throw new IllegalStateException("the server's Close is masked or longer than 125 bytes: 0x"
                        + Integer.toHexString(second));
            }
            closeLeft = second;
        }
        int n = Math.min(closeLeft, in.readableBytes());
        in.skipBytes(n);
        closeLeft -= n;
        if (closeLeft == 0) {
            state = State.CLOSE_RECEIVED;
        }
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (state != State.DONE) {
            state = State.DONE;
            slot.failed(reason);
        }
        ctx.close();
    }
}
