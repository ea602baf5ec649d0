package dev.wsnetty.bench.load;

import dev.wsnetty.bench.wire.DeflatedMessages;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.function.BiConsumer;

/**
 * A connection that completes the handshake, optionally exchanges one message with the echo server, and then
 * stays idle until told to close: it sends Close and waits for the server to close TCP. Reports the outcome
 * of the opening once, to {@code onOpened} (success, or why not).
 */
final class IdleConnection extends ChannelInboundHandlerAdapter {
    private final ClientHandshake handshake;
    private final ByteBuf message;
    /** The same message compressed (RSV1), sent where the server agreed permessage-deflate; null for no offer. */
    private final ByteBuf compressedMessage;
    private final ByteBuf close;
    private final BiConsumer<IdleConnection, String> onOpened;
    private ChannelHandlerContext ctx;
    private boolean reported;
    private boolean open;
    private boolean awaitingEcho;
    /** Whether the server agreed permessage-deflate, so the echo must come back compressed. */
    private boolean compressing;

    /**
     * @param message  a masked frame sent right after the handshake (a duplicate of it), or null for none; the
     *                 connection counts as opened once the first bytes of the echo are back
     * @param compressedMessage with {@code message}: the same compressed, to offer permessage-deflate (as browsers
     *                 do) and send it where the server agrees, checking the echo has RSV1; null for no offer
     * @param close    the masked Close frame (a duplicate of it is sent)
     * @param onOpened called once with this connection and {@code null} on success, else the reason
     */
    IdleConnection(String host, int port, String path, ByteBuf message, ByteBuf compressedMessage, ByteBuf close,
                   BiConsumer<IdleConnection, String> onOpened) {
        this.handshake = new ClientHandshake(host, port, path,
                compressedMessage == null ? null : DeflatedMessages.BROWSER_OFFER);
        this.message = message;
        this.compressedMessage = compressedMessage;
        this.close = close;
        this.onOpened = onOpened;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(handshake.request(ctx.alloc())).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (awaitingEcho) {
                awaitingEcho = false;
                boolean rsv1 = (in.getByte(in.readerIndex()) & DeflatedMessages.RSV1) != 0;
                report(rsv1 == compressing ? null : "the echo came back " + (rsv1 ? "" : "un") + "compressed");
            } else if (!reported && handshake.read(in)) {
                open = true;
                if (message != null) {
                    awaitingEcho = true;
                    compressing = compressedMessage != null && DeflatedMessages.agreed(handshake.extensions());
                    ctx.writeAndFlush((compressing ? compressedMessage : message).duplicate()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                } else {
                    report(null);
                }
            }
            // Otherwise the server sends nothing but the rest of the echo and its Close reply; the TCP close follows.
        } catch (IllegalStateException e) {
            report(e.getMessage());
            ctx.close();
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open = false;
        report(awaitingEcho ? "closed before the echo came back" : "closed before the handshake completed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(cause.toString());
        ctx.close();
    }

    /** Whether the handshake succeeded and the connection is still open; on the event loop. */
    boolean isOpen() {
        return open;
    }

    /** Sends Close; the server answers and closes TCP. On the event loop. */
    void closeGracefully() {
        if (open) {
            ctx.writeAndFlush(close.duplicate()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else {
            ctx.close();
        }
    }

    private void report(String failure) {
        if (!reported) {
            reported = true;
            onOpened.accept(this, failure);
        }
    }
}
