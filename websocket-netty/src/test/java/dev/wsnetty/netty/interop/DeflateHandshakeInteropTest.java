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
    void pythonWebsocketsAskingForASmallServerWindowIsDeclinedAndConnects() throws Exception {
        assumePython();
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = server(echo, CompressionMode.LEAN)) {
            List<String> out = PythonWebsockets.run("python_websockets_deflate_handshake.py", PYTHON_LIMIT,
                    server.uri("/").toString(), "server_max_window_bits=10");
            assertEquals(List.of("OFFER permessage-deflate; server_max_window_bits=10; client_max_window_bits",
                    "ANSWER None", "CLOSED 1000"), out);
            assertEquals(Optional.empty(), DeflateAgreement.of(echo.nextConnection().channel()));
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
     * which lets the server add it), so against a lean server it must offer it: then it takes the lean answer.
     */
    @Test
    void nettysCompressionClientOfferingClientNoContextTakeoverTakesTheLeanAnswer() throws Exception {
        PerMessageDeflateClientExtensionHandshaker offeringNoContext =
                new PerMessageDeflateClientExtensionHandshaker(6, false, 15, true, false, 0);
        nettyClientTakesOurAnswer(CompressionMode.LEAN, new WebSocketClientExtensionHandler(offeringNoContext),
                LEAN_ANSWER);
    }

    private void nettyClientTakesOurAnswer(CompressionMode mode, WebSocketClientExtensionHandler extensions,
                                           String expectedAnswer) throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = server(echo, mode)) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            CompletableFuture<Void> opened = new CompletableFuture<>();
            CompletableFuture<Integer> closeCode = new CompletableFuture<>();
            Channel channel = nettyClient(server.uri("/"), extensions, answer, opened, closeCode);
            opened.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(expectedAnswer, answer.getNow(null));
            // Netty installs its permessage-deflate codec only for an answer it accepted.
            assertTrue(channel.pipeline().names().stream().anyMatch(name -> name.contains("PerMessageDeflateEncoder")),
                    () -> "no permessage-deflate codec in " + channel.pipeline().names());
            assertTrue(DeflateAgreement.of(echo.nextConnection().channel()).isPresent());

            channel.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
            assertEquals(1000, closeCode.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(channel.closeFuture().await(Await.DEADLINE.toMillis()), "the server did not close");
        }
    }

    private static Channel nettyClient(URI uri, WebSocketClientExtensionHandler extensions,
                                       CompletableFuture<String> answer, CompletableFuture<Void> opened,
                                       CompletableFuture<Integer> closeCode) throws InterruptedException {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .handleCloseFrames(false)
                .build();
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(8192))
                                .addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof FullHttpResponse response) {
                                            answer.complete(response.headers()
                                                    .get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS));
                                        }
                                        ctx.fireChannelRead(msg);
                                    }
                                })
                                .addLast(extensions)
                                .addLast(new WebSocketClientProtocolHandler(config))
                                .addLast(new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof CloseWebSocketFrame close) {
                                            closeCode.complete(close.statusCode());
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
    }
}
