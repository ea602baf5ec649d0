package dev.wsnetty.netty.conformance;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.protocol.MessageAggregator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The Autobahn|Testsuite echo server built from OUR handlers: the handshake of {@link WebSocketPipeline#addServerHandshake}, then
 * frame decoder, encoder and protocol handler, a {@link MessageAggregator} and an echo of every text and
 * binary message. Keep-alive pings and the idle timeout stay off (the suite records every pong it gets),
 * and the size limits are 32 MiB so that the 16 MiB messages of section 9 fit.
 */
public final class AutobahnEchoServer {
    /** Twice the largest message of section 9. */
    private static final int MAX_SIZE = 32 * 1024 * 1024;

    private AutobahnEchoServer() {
    }

    /**
     * Serves until the calling thread is interrupted.
     *
     * @param args one argument, the port
     */
    public static void main(String[] args) {
        ServerHandshakeConfig settings = settings(config());
        AutobahnServerRunner.run(args, channel -> WebSocketPipeline.addServerHandshake(channel.pipeline(),
                settings.config(), new ServerHandshakeHandler(settings)));
    }

    /** The defaults (no keep-alive, no idle timeout) with limits that fit section 9. */
    static WebSocketConfig config() {
        return WebSocketConfig.builder().maxSize(MAX_SIZE).build();
    }

    /** Every host and path leads to the echo endpoint. */
    static ServerHandshakeConfig settings(WebSocketConfig config) {
        WebSocketEndpoint echo = (channel, request, subprotocol) -> channel.pipeline()
                .addLast("aggregator", new MessageAggregator())
                .addLast("echo", new MessageEcho());
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", "/", echo, true, true);
        return ServerHandshakeConfig.builder(router).config(config).build();
    }

    /**
     * Writes every whole text or binary message back as it came, flushed once per read batch. Pongs and
     * the peer's Close are dropped: the protocol handler has already answered the Close.
     */
    static final class MessageEcho extends ChannelInboundHandlerAdapter {
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
}
