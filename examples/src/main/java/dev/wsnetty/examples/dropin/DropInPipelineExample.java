package dev.wsnetty.examples.dropin;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.HandshakeRequest;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.protocol.MessageAggregator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Drop-in use of wsnetty: our WebSocket handlers added to an ordinary Netty HTTP server, so that one
 * port serves both a web page ({@code GET /}) and a WebSocket endpoint ({@code /ws}). Run it with an
 * optional port (default 8080) and open {@code http://localhost:8080/} in a browser.
 *
 * <p>The steps, marked in the code:
 * <ol>
 *   <li>A {@link HandlerRouter} with one route: path {@code /ws} on any host ({@code "*"} registered as
 *       the default host). A handshake for another path gets 404.</li>
 *   <li>{@link ServerHandshakeConfig} with HTTP fallback: requests that are not WebSocket handshakes go on to
 *       the application's HTTP handlers instead of getting 400.</li>
 *   <li>The {@link Initializer}: the application's pipeline with our {@link ServerHandshakeHandler} put right
 *       after its {@link HttpServerCodec}:
 * <pre>
 *   HttpServerCodec -&gt; ServerHandshakeHandler -&gt; HttpObjectAggregator -&gt; PageHandler
 *   \___ yours ___/    \___ ours ___/    \____________ yours ______________/
 * </pre>
 *       The {@link PageHandler} never sees a WebSocket handshake. When a handshake succeeds, the
 *       {@link ServerHandshakeHandler} answers 101 and rebuilds the pipeline: the HTTP codec, the HTTP handlers
 *       after it and the upgrade handler itself leave; our frame decoder, frame encoder and protocol
 *       handler (which answers pings and runs the closing handshake) take their place.</li>
 *   <li>The {@link EchoEndpoint} that {@code /ws} leads to: once the pipeline speaks WebSocket, it adds a
 *       {@link MessageAggregator} (fragments become whole messages) and the application's handler:
 * <pre>
 *   FrameDecoder -&gt; FrameEncoder -&gt; ProtocolHandler -&gt; MessageAggregator -&gt; EchoHandler
 * </pre></li>
 *   <li>The {@link EchoHandler}: a plain {@link SimpleChannelInboundHandler} of our {@link WebSocketFrame}s.</li>
 * </ol>
 * None of Netty's own WebSocket classes is used: the handshake, frames and close protocol are wsnetty's.
 */
public final class DropInPipelineExample {
    /** The request path of the WebSocket endpoint. */
    public static final String WEBSOCKET_PATH = "/ws";

    /** The page served at {@code /}: a text box that sends over the WebSocket and shows the replies. */
    static final String PAGE = """
            <!DOCTYPE html>
            <html>
            <head><meta charset="utf-8"><title>wsnetty drop-in example</title></head>
            <body>
            <input id="text" value="hello"> <button onclick="ws.send(text.value)">Send</button>
            <pre id="log"></pre>
            <script>
              const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
              ws.onmessage = event => log.textContent += event.data + "\\n";
              ws.onclose = event => log.textContent += "closed: " + event.code + " " + event.reason + "\\n";
            </script>
            </body>
            </html>
            """;

    private DropInPipelineExample() {
    }

    /**
     * Serves until the process is stopped.
     *
     * @param args optionally the port to listen on (default 8080)
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        try (RunningServer server = start(port)) {
            System.out.println("Page at http://localhost:" + server.port() + "/, WebSocket at ws://localhost:"
                    + server.port() + WEBSOCKET_PATH);
            server.channel().closeFuture().sync();
        }
    }

    /**
     * Binds a server on all interfaces.
     *
     * @param port the port, or 0 for any free one ({@link RunningServer#port()} tells which)
     */
    public static RunningServer start(int port) {
        // Step 1: the WebSocket route. Any Host header ("*" as the default host), exact path "/ws".
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", WEBSOCKET_PATH, new EchoEndpoint(), true, false);
        // Step 2: handshake settings. httpFallback passes non-WebSocket requests to the HTTP side.
        ServerHandshakeConfig settings = ServerHandshakeConfig.builder(router)
                .config(WebSocketConfig.DEFAULT) // size limits and timeouts of the WebSocket connections
                .httpFallback(true)
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new Initializer(settings))
                .bind(port).syncUninterruptibly().channel();
        return new RunningServer(group, channel);
    }

    /** Step 3: the pipeline of each connection, the one place where our handler meets the application's. */
    static final class Initializer extends ChannelInitializer<SocketChannel> {
        private final ServerHandshakeConfig settings;

        Initializer(ServerHandshakeConfig settings) {
            this.settings = settings;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                    .addLast("http", new HttpServerCodec())                     // the application's codec
                    .addLast(WebSocketPipeline.HANDSHAKE, new ServerHandshakeHandler(settings)) // ours: /ws
                    .addLast("http-aggregator", new HttpObjectAggregator(8192)) // the application's HTTP side
                    .addLast("page", new PageHandler());
        }
    }

    /** The application's HTTP handler: the page at {@code /}, 404 elsewhere. Never sees a WebSocket handshake. */
    static final class PageHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean page = HttpMethod.GET.equals(request.method()) && "/".equals(request.uri());
            FullHttpResponse response = page
                    ? respond(HttpResponseStatus.OK, "text/html; charset=utf-8", PAGE)
                    : respond(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "Not found\n");
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            ctx.writeAndFlush(response)
                    .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        }

        private static FullHttpResponse respond(HttpResponseStatus status, String contentType, String body) {
            ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            return response;
        }
    }

    /** Step 4: what {@code /ws} leads to. Runs once per upgraded connection, on its event loop. */
    static final class EchoEndpoint implements WebSocketEndpoint {
        @Override
        public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
            // Our decoder, encoder and protocol handler are already in place; the application's go last.
            channel.pipeline()
                    .addLast(WebSocketPipeline.AGGREGATOR, new MessageAggregator())
                    .addLast("ws-echo", new EchoHandler());
        }
    }

    /**
     * Step 5: the application's WebSocket handler, a plain Netty handler of our {@link WebSocketFrame}s.
     * Text is answered with {@code "echo: " + text}; binary is refused with Close 1003. Pings never get
     * here (the protocol handler answers them); the peer's Close does, and the protocol handler answers it.
     * {@link SimpleChannelInboundHandler} releases each frame after {@link #channelRead0}.
     */
    static final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame.isText()) {
                ctx.writeAndFlush(WebSocketFrame.text("echo: " + frame.text()));
            } else if (frame.isBinary()) {
                ctx.writeAndFlush(WebSocketFrame.close(CloseCodes.UNSUPPORTED_DATA, "text only, please"));
            }
        }
    }

    /** A started server: its port, and {@link #close()} to stop it. */
    public static final class RunningServer implements AutoCloseable {
        private final EventLoopGroup group;
        private final Channel channel;

        RunningServer(EventLoopGroup group, Channel channel) {
            this.group = group;
            this.channel = channel;
        }

        /** The port the server listens on. */
        public int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        /** The listening channel. */
        public Channel channel() {
            return channel;
        }

        /** Stops listening and closes every connection. */
        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully().syncUninterruptibly();
        }
    }
}
