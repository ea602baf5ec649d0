package dev.wsnetty.bench.fanout;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * After the upgrade, puts a subscriber's channel in the group and marks the publisher's ({@code /pub}); each data
 * frame from the publisher is re-sent to the group as a new frame over the same payload (the group gives every
 * channel its own duplicate and releases the frame once written). Frames from subscribers are released.
 */
@ChannelHandler.Sharable
final class NettyFanoutHandler extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> PUBLISHER = AttributeKey.valueOf("fanout.publisher");

    private final ChannelGroup subscribers;
    private final PublishCost cost;

    NettyFanoutHandler(ChannelGroup subscribers, PublishCost cost) {
        this.subscribers = subscribers;
        this.cost = cost;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            String uri = ((WebSocketServerProtocolHandler.HandshakeComplete) evt).requestUri();
            if (uri.startsWith("/pub")) {
                ctx.channel().attr(PUBLISHER).set(Boolean.TRUE);
                cost.publisherOpened();
                ctx.channel().closeFuture().addListener(f -> cost.print(subscribers.size()));
            } else {
                subscribers.add(ctx.channel());
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!ctx.channel().hasAttr(PUBLISHER)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof BinaryWebSocketFrame) {
            long cpuStart = PublishCost.cpuNow();
            long start = System.nanoTime();
            subscribers.writeAndFlush(new BinaryWebSocketFrame(((BinaryWebSocketFrame) msg).content()));
            long end = System.nanoTime();
            cost.record(start, end, cpuStart, PublishCost.cpuNow());
        } else if (msg instanceof TextWebSocketFrame) {
            long cpuStart = PublishCost.cpuNow();
            long start = System.nanoTime();
            subscribers.writeAndFlush(new TextWebSocketFrame(((TextWebSocketFrame) msg).content()));
            long end = System.nanoTime();
            cost.record(start, end, cpuStart, PublishCost.cpuNow());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }
}
