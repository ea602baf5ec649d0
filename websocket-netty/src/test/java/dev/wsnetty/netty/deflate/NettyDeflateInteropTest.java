package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.testing.EventRecorder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.netty.deflate.DeflateOnTheWireTest.collectMessage;
import static dev.wsnetty.netty.deflate.DeflateOnTheWireTest.json;
import static dev.wsnetty.netty.deflate.DeflateOnTheWireTest.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Interop with Netty's own permessage-deflate ({@code websocketx.extensions.compression}, test scope only): a Netty
 * client whose frame codec and deflate encoder and decoder come straight from
 * {@link PerMessageDeflateClientExtensionHandshaker} (given the server's answer as the handshake would), against our
 * server pipeline with our deflate handler, over a socket. Netty compresses every message, even small ones, and
 * compresses fragmented messages frame by frame; we inflate them, and Netty inflates ours.
 */
class NettyDeflateInteropTest {
    private DeflatePeer peer;
    private EventLoopGroup nettyGroup;

    @AfterEach
    void close() throws Exception {
        if (nettyGroup != null) {
            nettyGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void withoutContextTakeover() throws Exception {
        exchange(DeflateParameters.lean(), new PerMessageDeflateClientExtensionHandshaker(6, false, 15, true, true),
                Map.of("server_no_context_takeover", "", "client_no_context_takeover", ""));
    }

    @Test
    void withContextTakeover() throws Exception {
        exchange(DeflateParameters.contextTakeover(), new PerMessageDeflateClientExtensionHandshaker(6, false, 15,
                false, false), Map.of());
    }

    private void exchange(DeflateParameters agreed, PerMessageDeflateClientExtensionHandshaker handshaker,
            Map<String, String> answer) throws Exception {
        WebSocketClientExtension extension = handshaker.handshakeExtension(
                new WebSocketExtensionData("permessage-deflate", answer));
        assertNotNull(extension, "Netty accepts the answer " + answer);
        peer = new DeflatePeer(agreed, WebSocketConfig.builder().build());
        nettyGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventRecorder<io.netty.handler.codec.http.websocketx.WebSocketFrame> nettyReceived =
                new EventRecorder<>("message at Netty's client");
        Channel netty = new Bootstrap().group(nettyGroup).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                                        .expectMaskedFrames(false).allowExtensions(true)
                                        .maxFramePayloadLength(1 << 24).build()))
                                .addLast(new WebSocket08FrameEncoder(true))
                                .addLast(extension.newExtensionDecoder())
                                .addLast(extension.newExtensionEncoder())
                                .addLast(new WebSocketFrameAggregator(1 << 24))
                                .addLast(new SimpleChannelInboundHandler<
                                        io.netty.handler.codec.http.websocketx.WebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx,
                                            io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
                                        nettyReceived.record(frame.retain());
                                    }
                                });
                    }
                })
                .connect("127.0.0.1", peer.port()).sync().channel();
        Channel server = peer.nextAccepted();

        String large = json(30_000);
        byte[] binary = new byte[20_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 13);
        }
        for (int round = 0; round < 3; round++) {
            // Netty to us: large, small (Netty compresses it too), binary, and a fragmented message.
            netty.write(new TextWebSocketFrame(large));
            netty.write(new TextWebSocketFrame("hi"));
            netty.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(binary)));
            netty.write(new TextWebSocketFrame(false, 0, large));
            netty.writeAndFlush(new io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame(true, 0,
                    "end"));
            assertEquals(large, utf8(collectMessage(peer.serverReceived)));
            assertEquals("hi", utf8(collectMessage(peer.serverReceived)));
            assertArrayEquals(binary, collectMessage(peer.serverReceived));
            assertEquals(large + "end", utf8(collectMessage(peer.serverReceived)));

            // Us to Netty: large (compressed), small (not), binary, and a fragmented message.
            server.write(WebSocketFrame.text(large));
            server.write(WebSocketFrame.text("hi"));
            server.write(WebSocketFrame.binary(Unpooled.wrappedBuffer(binary)));
            server.write(WebSocketFrame.text(Unpooled.copiedBuffer(large, StandardCharsets.UTF_8), false));
            server.writeAndFlush(WebSocketFrame.continuation(Unpooled.copiedBuffer("end", StandardCharsets.UTF_8),
                    true));
            assertEquals(large, textOf(nettyReceived.next()));
            assertEquals("hi", textOf(nettyReceived.next()));
            io.netty.handler.codec.http.websocketx.WebSocketFrame b = nettyReceived.next();
            try {
                assertArrayEquals(binary, ByteBufUtil.getBytes(b.content()));
            } finally {
                b.release();
            }
            assertEquals(large + "end", textOf(nettyReceived.next()));
        }
        netty.close().sync();
    }

    private static String textOf(io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
        try {
            return ((TextWebSocketFrame) frame).text();
        } finally {
            frame.release();
        }
    }
}
