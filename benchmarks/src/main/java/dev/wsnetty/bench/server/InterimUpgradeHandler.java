package dev.wsnetty.bench.server;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.WebSocketHandlers;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.handshake.AcceptKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * A minimal server upgrade used by {@link WsnettyEchoServer} only while our
 * {@code dev.wsnetty.netty.handshake.UpgradeHandler} is not merged: it answers a websocket upgrade
 * (version 13, with a key) with the 101 and our {@link AcceptKey}, installs {@link WebSocketHandlers}
 * and {@code then} after them, and removes the HTTP handlers; anything else gets a 400. It does none of
 * the validation and routing of the real handler; it only lets the echo benchmark reach our codec.
 */
final class InterimUpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final WebSocketConfig config;
    private final String thenName;
    private final ChannelHandler then;

    InterimUpgradeHandler(WebSocketConfig config, String thenName, ChannelHandler then) {
        this.config = config;
        this.thenName = thenName;
        this.then = then;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null || !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            FullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                    Unpooled.copiedBuffer("not a version 13 websocket upgrade\n", StandardCharsets.US_ASCII));
            refusal.headers().set(HttpHeaderNames.CONTENT_LENGTH, refusal.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers()
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, AcceptKey.of(key));
        // Encoded and queued synchronously (we are on the event loop) before the HTTP codec leaves.
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ChannelPipeline p = ctx.pipeline();
        WebSocketHandlers.addAfter(p, ctx.name(), config, Role.SERVER);
        p.addAfter(WebSocketHandlers.PROTOCOL, thenName, then);
        p.remove(this);
        p.remove(WsnettyEchoServer.AGGREGATOR);
        // Last, so bytes that arrived after the request flow on to the frame decoder.
        p.remove(HttpServerCodec.class);
    }
}
