package dev.wsnetty.netty.conformance;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Autobahn echo server built from Netty's own {@code websocketx} pipeline, as Netty recommends it
 * ({@link WebSocketServerProtocolHandler}, which validates UTF-8 and answers pings and closes). A yardstick
 * to compare our handlers with: run the suite against it with {@code -Pautobahn-netty-reference}.
 */
public final class NettyReferenceEchoServer {
    /** Large enough for the biggest single frame of section 9 (16 MiB). */
    private static final int MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;

    private NettyReferenceEchoServer() {
    }

    /**
     * Serves until the calling thread is interrupted.
     *
     * @param args one argument, the port
     */
    public static void main(String[] args) {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_FRAME_PAYLOAD)
                .build();
        AutobahnServerRunner.run(args, channel -> channel.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(65536))
                .addLast(new WebSocketServerProtocolHandler(config))
                .addLast(new FrameEcho()));
    }

    /** Echoes data frames one by one; the protocol handler before it deals with control frames. */
    private static final class FrameEcho extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                ctx.write(frame.retain());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
