package dev.wsnetty.bench.server;

import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Writes every data frame (or piece of a large frame) our handlers deliver straight back, so the echo
 * keeps the fragmentation it arrived with, and flushes once per read. Control frames are the protocol
 * handler's business and are released. Anything that is not a {@link WebSocketFrame} means the codec is
 * not doing its job: the connection is closed with a message saying so.
 */
@ChannelHandler.Sharable
final class FrameEchoHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
                ctx.write(frame, ctx.voidPromise());
            } else {
                frame.release();
            }
            return;
        }
        System.err.println("echo: received " + msg.getClass().getName()
                + " instead of a WebSocketFrame; is FrameDecoder still the stub? Closing " + ctx.channel());
        ReferenceCountUtil.release(msg);
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
