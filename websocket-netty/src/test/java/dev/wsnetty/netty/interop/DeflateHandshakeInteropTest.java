package dev.wsnetty.netty.interop;

import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.deflate.DeflateAgreement;
import dev.wsnetty.netty.deflate.DeflateParameters;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.PythonWebsockets;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.testing.Await;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The permessage-deflate handshake of our server with other clients that offer it: python-websockets (compression on
 * by default) and Netty's {@code websocketx} client with its {@link WebSocketClientCompressionHandler} (test scope
 * only). Each must accept our answer and open the connection; the close handshake follows (control frames are never
 * compressed). No data message is exchanged: both peers compress every message, which needs the codec.
 */
class DeflateHandshakeInteropTest {
    private static final Duration PYTHON_LIMIT = Duration.ofSeconds(30);
    private static final String LEAN_ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    private static EventLoopGroup group;

    @BeforeAll
    static void startClientEventLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopClientEventLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(Await.DEADLINE.toMillis());
    }

    private static TestServer server(EchoEndpoint echo, CompressionMode mode) {
        return TestServer.start(echo, WebSocketConfig.builder().compression(mode).build());
    }

    private static void assumePython() throws InterruptedException {
        String missing = PythonWebsockets.whyUnavailable();
        if (missing != null) {
            System.out.println("SKIPPED python-websockets interop: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
    }

    @Test
    void pythonWebsocketsTakesTheLeanAnswer() throws Exception {
        assumePython();
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = server(echo, CompressionMode.LEAN)) {
            List<String> out = PythonWebsockets.run("python_websockets_deflate_handshake.py", PYTHON_LIMIT,
                    server.uri("/").toString());
            assertEquals(List.of("OFFER permessage-deflate; client_max_window_bits",
                    "ANSWER " + LEAN_ANSWER,
                    "AGREED permessage-deflate server_no_context_takeover=True client_no_context_takeover=True"
                            + " server_max_window_bits=15 client_max_window_bits=15",
                    "CLOSED 1000"), out);
            assertEquals(Optional.of(DeflateParameters.lean()), DeflateAgreement.of(echo.nextConnection().channel()));
        }
    }

    @Test
    void pythonWebsocketsTakesTheContextTakeoverAnswer() throws Exception {
        assumePython();
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = server(echo, CompressionMode.CONTEXT_TAKEOVER)) {
            List<String> out = PythonWebsockets.run("python_websockets_deflate_handshake.py", PYTHON_LIMIT,
                    server.uri("/").toString());
            assertEquals(List.of("OFFER permessage-deflate; client_max_window_bits",
                    "ANSWER permessage-deflate",
                    "AGREED permessage-deflate server_no_context_takeover=False client_no_context_takeover=False"
                            + " server_max_window_bits=15 client_max_window_bits=15",
                    "CLOSED 1000"), out);
            assertEquals(Optional.of(DeflateParameters.contextTakeover()),
                    DeflateAgreement.of(echo.nextConnection().channel()));
        }
    }

    @Test
    void pythonWebsocketsAskingForASmallServerWindowIsAnswered() throws Exception {
        assumePython();
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = server(echo, CompressionMode.LEAN)) {
            List<String> out = PythonWebsockets.run("python_websockets_deflate_handshake.py", PYTHON_LIMIT,
                    server.uri("/").toString(), "server_max_window_bits=10");
            assertEquals(List.of("OFFER permessage-deflate; server_max_window_bits=10; client_max_window_bits",
                    "ANSWER " + LEAN_ANSWER + "; server_max_window_bits=10",
                    "AGREED permessage-deflate server_no_context_takeover=True client_no_context_takeover=True"
                            + " server_max_window_bits=10 client_max_window_bits=15",
                    "CLOSED 1000"), out);
            assertEquals(Optional.of(new DeflateParameters(true, true, 10, 15)),
                    DeflateAgreement.of(echo.nextConnection().channel()));
        }
    }

    /** What every application gets from {@code new WebSocketClientCompressionHandler(0)}. */
    @Test
    void nettysDefaultCompressionClientTakesTheContextTakeoverAnswer() throws Exception {
        nettyClientTakesOurAnswer(CompressionMode.CONTEXT_TAKEOVER, new WebSocketClientCompressionHandler(0),
                "permessage-deflate");
    }

    /**
     * Netty's client refuses a {@code client_no_context_takeover} it did not offer (stricter than RFC 7692 §7.1.1.2,
     * which lets the server add it), so against a lean server (the default) it needs {@code allowClientNoContext}
     * (which also offers it): then it takes the lean answer, and messages go compressed both ways.
     */
    @Test
    void nettysCompressionClientAllowingClientNoContextTakesTheDefaultAnswerAndCompresses() throws Exception {
        PerMessageDeflateClientExtensionHandshaker allowingClientNoContext =
                new PerMessageDeflateClientExtensionHandshaker(6, false, 15, true, false, 0);
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.start(echo)) {
            NettyClient netty = nettyClient(server.uri("/"), new WebSocketClientExtensionHandler(allowingClientNoContext));
            netty.opened.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(LEAN_ANSWER, netty.answer.getNow(null));
            String message = "{\"compressed\":true} ".repeat(200);
            netty.channel.writeAndFlush(new TextWebSocketFrame(message));
            assertEquals(message, netty.text.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            // FIN, RSV1 and opcode 1: the echo came compressed (Netty always compresses, so the request was too).
            assertEquals(0xC1, netty.firstFrameByte() & 0xff);
            assertEquals(Optional.of(DeflateParameters.lean()), DeflateAgreement.of(echo.nextConnection().channel()));
            netty.channel.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
            assertEquals(1000, netty.closeCode.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /**
     * What every application gets from {@code new WebSocketClientCompressionHandler(0)} against a default (lean)
     * server: Netty's client refuses the {@code client_no_context_takeover} it did not offer, and the handshake fails
     * with its {@code CodecException} naming the answer (the test closes the connection then; Netty leaves it open).
     */
    @Test
    void nettysDefaultCompressionClientRefusesTheDefaultAnswer() throws Exception {
        try (TestServer server = TestServer.start(new EchoEndpoint())) {
            NettyClient netty = nettyClient(server.uri("/"), new WebSocketClientCompressionHandler(0));
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> netty.opened.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(CodecException.class, failed.getCause());
            assertEquals("invalid WebSocket Extension handshake for \"" + LEAN_ANSWER + "\"",
                    failed.getCause().getMessage());
            assertTrue(netty.channel.closeFuture().await(Await.DEADLINE.toMillis()), "the connection did not close");
        }
    }

    private void nettyClientTakesOurAnswer(CompressionMode mode, WebSocketClientExtensionHandler extensions,
                                           String expectedAnswer) throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = server(echo, mode)) {
            NettyClient netty = nettyClient(server.uri("/"), extensions);
            Channel channel = netty.channel;
            netty.opened.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(expectedAnswer, netty.answer.getNow(null));
            // Netty installs its permessage-deflate codec only for an answer it accepted.
            assertTrue(channel.pipeline().names().stream().anyMatch(name -> name.contains("PerMessageDeflateEncoder")),
                    () -> "no permessage-deflate codec in " + channel.pipeline().names());
            assertTrue(DeflateAgreement.of(echo.nextConnection().channel()).isPresent());

            channel.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
            assertEquals(1000, netty.closeCode.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(channel.closeFuture().await(Await.DEADLINE.toMillis()), "the server did not close");
        }
    }

    /** Netty's client: its channel, the answer it got, its handshake, the first text and close code received. */
    private record NettyClient(Channel channel, CompletableFuture<String> answer, CompletableFuture<Void> opened,
                               CompletableFuture<String> text, CompletableFuture<Integer> closeCode,
                               ByteArrayOutputStream raw) {
        /** The first byte of the first frame the server sent: the byte after the 101's head. */
        int firstFrameByte() {
            byte[] bytes;
            synchronized (raw) {
                bytes = raw.toByteArray();
            }
            String head = new String(bytes, StandardCharsets.ISO_8859_1);
            return bytes[head.indexOf("\r\n\r\n") + 4];
        }
    }

    private static NettyClient nettyClient(URI uri, WebSocketClientExtensionHandler extensions)
            throws InterruptedException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<Void> opened = new CompletableFuture<>();
        CompletableFuture<String> text = new CompletableFuture<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(true) // RSV1 on the frames of the compression the extension handler negotiates
                .handleCloseFrames(false)
                .build();
        Channel channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ByteBuf in = (ByteBuf) msg;
                                        synchronized (raw) {
                                            raw.writeBytes(ByteBufUtil.getBytes(in));
                                        }
                                        ctx.fireChannelRead(msg);
                                    }
                                })
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(8192))
                                .addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (!(msg instanceof FullHttpResponse response)) {
                                            ctx.fireChannelRead(msg);
                                            return;
                                        }
                                        answer.complete(response.headers()
                                                .get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS));
                                        response.retain();
                                        try {
                                            ctx.fireChannelRead(response);
                                        } finally {
                                            // Netty's extension handler drops an answer it refuses without
                                            // releasing it (a leak in Netty): release what it left.
                                            response.release(response.refCnt() > 1 ? 2 : 1);
                                        }
                                    }
                                })
                                .addLast(extensions)
                                .addLast(new WebSocketClientProtocolHandler(config))
                                .addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof CloseWebSocketFrame close) {
                                            closeCode.complete(close.statusCode());
                                        } else if (msg instanceof TextWebSocketFrame frame) {
                                            text.complete(frame.text());
                                        }
                                        ReferenceCountUtil.release(msg);
                                    }

                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                .HANDSHAKE_COMPLETE) {
                                            opened.complete(null);
                                        }
                                        ctx.fireUserEventTriggered(evt);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        opened.completeExceptionally(cause);
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        return new NettyClient(channel, answer, opened, text, closeCode, raw);
    }
}
