package dev.wsnetty.netty.interop;

import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netty's built-in WebSocket client ({@code websocketx}, test scope only) connected to a server: the
 * {@link WebSocketClientProtocolHandler} with a version 13 handshaker, set to hand Close frames and pongs
 * to us instead of acting on them, so the tests see exactly what the server sent. Every frame received is
 * recorded as a {@link Received} (the buffers are released at once).
 */
final class NettyClientPeer implements AutoCloseable {
    /** A frame as Netty's decoder delivered it: its class, fin flag and payload. */
    record Received(Class<? extends WebSocketFrame> type, boolean fin, byte[] payload, int closeCode,
                    String closeReason) {
    }

    private final Channel channel;
    private final EventRecorder<Received> frames = new EventRecorder<>("frame");
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();

    private NettyClientPeer(EventLoopGroup group, URI uri) throws Exception {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .handleCloseFrames(false)
                .dropPongFrames(false)
                .build();
        channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(8192))
                                .addLast(new WebSocketClientProtocolHandler(config))
                                .addLast(new Recorder());
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        handshake.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Connects and completes the opening handshake. */
    static NettyClientPeer connect(EventLoopGroup group, URI uri) throws Exception {
        return new NettyClientPeer(group, uri);
    }

    /** Writes a frame through Netty's encoder (which masks it). */
    void send(WebSocketFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Writes bytes straight to the socket, bypassing every handler: for frames Netty would not produce. */
    void sendRaw(ByteBuf bytes) {
        channel.pipeline().firstContext().writeAndFlush(bytes).syncUninterruptibly();
    }

    /** The next frame received. */
    Received next() {
        return frames.next();
    }

    /** Fails the test when a frame was received and not taken. */
    void assertExhausted() {
        frames.assertExhausted();
    }

    /** Waits until the server has closed the TCP connection. */
    void assertClosedByServer() throws InterruptedException {
        assertTrue(channel.closeFuture().await(Await.DEADLINE.toMillis()),
                "the server did not close the connection");
    }

    /** Closes the connection, then fails the test when a frame was received and not taken. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        assertExhausted();
    }

    private final class Recorder extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            int code = -1;
            String reason = null;
            if (frame instanceof CloseWebSocketFrame) {
                code = ((CloseWebSocketFrame) frame).statusCode();
                reason = ((CloseWebSocketFrame) frame).reasonText();
            }
            frames.record(new Received(frame.getClass(), frame.isFinalFragment(), ByteBufUtil.getBytes(frame.content()),
                    code, reason));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.complete(null);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                handshake.completeExceptionally(new IllegalStateException("handshake timed out"));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.completeExceptionally(cause);
            ctx.close();
        }
    }
}
