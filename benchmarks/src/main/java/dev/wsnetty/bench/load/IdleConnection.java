package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.function.BiConsumer;

/**
 * A connection that completes the handshake and then stays idle until told to close: it sends Close and
 * waits for the server to close TCP. Reports the handshake outcome once, to {@code onHandshake}
 * (success, or why not).
 */
final class IdleConnection extends ChannelInboundHandlerAdapter {
    private final ClientHandshake handshake;
    private final ByteBuf close;
    private final BiConsumer<IdleConnection, String> onHandshake;
    private ChannelHandlerContext ctx;
    private boolean reported;
    private boolean open;

    /**
     * @param onHandshake called once with this connection and {@code null} on success, else the reason
     */
    IdleConnection(String host, int port, String path, ByteBuf close, BiConsumer<IdleConnection, String> onHandshake) {
        this.handshake = new ClientHandshake(host, port, path);
        this.close = close;
        this.onHandshake = onHandshake;
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
            if (!reported && handshake.read(in)) {
                open = true;
                report(null);
            }
            // After the handshake the server sends nothing but its Close reply; the TCP close follows it.
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
        report("closed before the handshake completed");
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
            onHandshake.accept(this, failure);
        }
    }
}
