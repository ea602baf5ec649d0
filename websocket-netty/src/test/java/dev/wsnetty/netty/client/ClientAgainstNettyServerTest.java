package dev.wsnetty.netty.client;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.HandshakeResponse;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@link WebSocketClient} against an independent server: Netty's own {@code websocketx} server
 * ({@link WebSocketServerProtocolHandler}, which insists on masked client frames and answers pings and Close
 * frames itself) with an echo handler that also runs a few commands ({@code close:CODE:REASON},
 * {@code ping:PAYLOAD}, {@code fragments}).
 */
class ClientAgainstNettyServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static EventLoopGroup group;
    private static Channel serverChannel;
    private Communicator communicator;
    private final AtomicReference<HandshakeResponse> handshake = new AtomicReference<>();

    @BeforeAll
    static void startNettyServer() {
        System.out.println("Peer: Netty WebSocketServerProtocolHandler, netty-codec-http "
                + Version.identify().get("netty-codec-http").artifactVersion());
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .subprotocols("chat")
                .maxFramePayloadLength(1 << 20)
                .dropPongFrames(false)
                .build();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(config), new EchoWithCommands());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    @AfterAll
    static void stopNettyServer() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void connect() throws Exception {
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        WebSocketClient client = WebSocketClient.of("ws://127.0.0.1:" + port + "/ws");
        client.setSubprotocols("chat");
        client.setOnHandshakeSuccess((c, response) -> handshake.set(response));
        communicator = client.connectOrThrow();
    }

    @AfterEach
    void disconnect() {
        communicator.close();
        assertNotNull(communicator.awaitClose(WAIT), "connection did not close");
    }

    @Test
    void handshakeSelectsTheOfferedSubprotocol() {
        assertEquals(101, handshake.get().statusCode());
        assertEquals("chat", handshake.get().header("Sec-WebSocket-Protocol"));
    }

    @Test
    void textAndBinaryMessagesAreEchoed() {
        byte[] big = new byte[200_000];
        new Random(3).nextBytes(big);
        communicator.writeStringMessage("hello netty \u263a");
        communicator.writeBinaryMessage(big);
        assertEquals("hello netty \u263a", communicator.waitForStringMessage(WAIT).data());
        assertArrayEquals(big, communicator.waitForBinaryMessage(WAIT).data());
    }

    @Test
    void fragmentedMessagesGoBothWays() {
        try (MessageOutputStream out = communicator.writeMessage(MessageType.STRING, 4)) {
            out.write("split into many frames".getBytes(StandardCharsets.US_ASCII));
        }
        // The echo sends each frame back as it came, so the client reassembles what it fragmented.
        assertEquals("split into many frames", communicator.waitForStringMessage(WAIT).data());
        communicator.writeStringMessage("fragments");
        assertEquals("frag-ment-ed", communicator.waitForStringMessage(WAIT).data());
    }

    @Test
    void pingsAreAnsweredBothWays() {
        communicator.ping("client ping");
        assertEquals("client ping", communicator.waitForPongMessage(WAIT).asString());
        communicator.writeStringMessage("ping:server ping");
        assertEquals("pong:server ping", communicator.waitForStringMessage(WAIT).data());
    }

    @Test
    void clientCloseIsEchoedWithCodeAndReason() {
        communicator.close(4000, "client bye");
        assertFalse(communicator.isOpen());
        assertEquals(new CloseStatus(4000, "client bye"), communicator.awaitClose(WAIT));
    }

    @Test
    void serverCloseIsReportedWithCodeAndReason() {
        communicator.writeStringMessage("close:4002:netty bye");
        assertEquals(new CloseStatus(4002, "netty bye"), communicator.awaitClose(WAIT));
    }

    /** Echoes data frames as they come; runs the commands of the class comment. */
    private static final class EchoWithCommands extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame && frame.isFinalFragment()) {
                String text = ((TextWebSocketFrame) frame).text();
                if (text.startsWith("close:")) {
                    String[] parts = text.split(":", 3);
                    ctx.writeAndFlush(new CloseWebSocketFrame(Integer.parseInt(parts[1]), parts[2]));
                    return;
                }
                if (text.startsWith("ping:")) {
                    ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.copiedBuffer(text.substring(5),
                            StandardCharsets.UTF_8)));
                    return;
                }
                if (text.equals("fragments")) {
                    ctx.write(new TextWebSocketFrame(false, 0, "frag-"));
                    ctx.write(new ContinuationWebSocketFrame(false, 0, "ment-"));
                    ctx.writeAndFlush(new ContinuationWebSocketFrame(true, 0, "ed"));
                    return;
                }
            }
            if (frame instanceof PongWebSocketFrame) {
                ctx.writeAndFlush(new TextWebSocketFrame("pong:" + frame.content().toString(StandardCharsets.UTF_8)));
                return;
            }
            ctx.writeAndFlush(frame.retain());
        }
    }
}
