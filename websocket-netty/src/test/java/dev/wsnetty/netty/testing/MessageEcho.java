package dev.wsnetty.netty.testing;

import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.MessageAggregator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The echo of a server pipeline, after a {@link MessageAggregator}: writes every whole text or binary message back
 * as it came, flushed once per read batch, and releases everything else (pings and the peer's Close were answered
 * by the protocol handler already). An exception changes nothing: the protocol handler has already failed or
 * closed the connection. Owns each message it receives until it writes it (the encoder releases it).
 */
public final class MessageEcho extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame && (((WebSocketFrame) msg).isText() || ((WebSocketFrame) msg).isBinary())) {
            ctx.write(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /** The protocol handler already failed or closed the connection; nothing more to do here. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    }
}
