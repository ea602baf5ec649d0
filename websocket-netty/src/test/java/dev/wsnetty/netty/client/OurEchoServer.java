package dev.wsnetty.netty.client;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.HandshakeRequest;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Our own server for client tests, built from the server handshake ({@link WebSocketPipeline#addServerHandshake}, a
 * {@link HandlerRouter} sending every host and path to one endpoint) and the frame handlers, with a
 * frame-level echo after a {@link MessageAggregator}. It selects the subprotocol "chat" or "superchat"
 * when offered, and answers some text messages as commands:
 * <ul>
 *   <li>{@code close:CODE:REASON}: sends a Close frame with that code and reason;</li>
 *   <li>{@code ping:PAYLOAD}: sends a ping with that payload (the client's pong is reported back as a
 *       text message {@code pong:PAYLOAD});</li>
 *   <li>{@code fragments:N:TEXT}: sends TEXT as one text message in N frames;</li>
 *   <li>{@code frames?}: answers {@code frames:N}, the number of data frames of the previous message (frames
 *       from the streaming threshold up may be counted once per piece the decoder passed on).</li>
 * </ul>
 * Everything else (text and binary) is echoed as one frame; Close frames are left to the protocol handler,
 * which answers them. Each upgraded connection is recorded as a
 * {@link Connection}.
 */
final class OurEchoServer implements AutoCloseable {
    private static final List<String> SUBPROTOCOLS = List.of("chat", "superchat");

    /** One upgraded connection, server side. */
    static final class Connection {
        final Channel channel;
        final HandshakeRequest request;
        /** How the connection ended, as the server's protocol handler reports it. */
        final CompletableFuture<WebSocketCloseEvent> closed = new CompletableFuture<>();
        /** Data frames of the last whole message (not counting the frames? query) and of the one arriving. */
        private int framesOfLastMessage;
        private int framesOfCurrentMessage;

        Connection(Channel channel, HandshakeRequest request) {
            this.channel = channel;
            this.request = request;
        }
    }

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final AtomicInteger upgraded = new AtomicInteger();

    /** A plain server with the default config on 127.0.0.1 and an ephemeral port. */
    OurEchoServer() {
        this(WebSocketConfig.DEFAULT, null, 1);
    }

    /**
     * A server.
     *
     * @param tls     a server TLS context (wss), or null for plain ws
     * @param threads event loop threads
     */
    OurEchoServer(WebSocketConfig config, SslContext tls, int threads) {
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", "*", new EchoEndpoint(), true, true);
        ServerHandshakeConfig settings = ServerHandshakeConfig.builder(router).config(config).build();
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerSocketChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The next upgraded connection, waiting at most 10 s. */
    Connection nextConnection() throws InterruptedException {
        Connection c = connections.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "no connection was upgraded within 10 s");
        return c;
    }

    /** How many connections were upgraded so far. */
    int upgradedCount() {
        return upgraded.get();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class EchoEndpoint implements WebSocketEndpoint {
        @Override
        public boolean accept(HandshakeRequest request, HttpHeaders responseHeaders) {
            responseHeaders.add("X-Echo-Server", "ours");
            return true;
        }

        @Override
        public String selectSubprotocol(List<String> offered) {
            return offered.stream().filter(SUBPROTOCOLS::contains).findFirst().orElse(null);
        }

        @Override
        public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
            Connection connection = new Connection(channel, request);
            channel.pipeline().addLast(new FrameCounter(connection), new MessageAggregator(), new Echo(connection));
            upgraded.incrementAndGet();
            connections.add(connection);
        }
    }

    /** Counts the data frames of each message before they are aggregated. */
    private static final class FrameCounter extends ChannelInboundHandlerAdapter {
        private final Connection connection;

        FrameCounter(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame && !((WebSocketFrame) msg).isControl() && !isFramesQuery(msg)) {
                connection.framesOfCurrentMessage++;
                if (((WebSocketFrame) msg).isFinal()) {
                    connection.framesOfLastMessage = connection.framesOfCurrentMessage;
                    connection.framesOfCurrentMessage = 0;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Whether {@code msg} is the one-frame command asking about the previous message. */
    private static boolean isFramesQuery(Object msg) {
        WebSocketFrame frame = (WebSocketFrame) msg;
        return frame.isText() && frame.isFinal() && "frames?".equals(frame.text());
    }

    /** Echoes messages and runs the commands of the class comment. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        private final Connection connection;

        Echo(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (frame.isText()) {
                String text = frame.text();
                if (text.startsWith("close:") || text.startsWith("ping:") || text.startsWith("fragments:")
                        || text.equals("frames?")) {
                    frame.release();
                    command(ctx, text);
                    return;
                }
                ctx.writeAndFlush(frame);
            } else if (frame.isBinary()) {
                ctx.writeAndFlush(frame);
            } else if (frame.isPong()) {
                String payload = frame.content().toString(StandardCharsets.UTF_8);
                frame.release();
                ctx.writeAndFlush(WebSocketFrame.text("pong:" + payload));
            } else {
                frame.release();
            }
        }

        private void command(ChannelHandlerContext ctx, String text) {
            String[] parts = text.split(":", 3);
            switch (parts[0]) {
                case "close" -> ctx.writeAndFlush(WebSocketFrame.close(Integer.parseInt(parts[1]), parts[2]));
                case "ping" -> ctx.writeAndFlush(WebSocketFrame.ping(
                        Unpooled.copiedBuffer(parts[1], StandardCharsets.UTF_8)));
                case "fragments" -> sendFragmented(ctx, Integer.parseInt(parts[1]), parts[2]);
                default -> ctx.writeAndFlush(WebSocketFrame.text("frames:" + connection.framesOfLastMessage));
            }
        }

        private static void sendFragmented(ChannelHandlerContext ctx, int frames, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int size = (bytes.length + frames - 1) / frames;
            for (int i = 0; i < frames; i++) {
                int from = Math.min(i * size, bytes.length);
                int to = Math.min(from + size, bytes.length);
                ByteBuf piece = Unpooled.wrappedBuffer(bytes, from, to - from);
                boolean fin = i == frames - 1;
                ctx.write(i == 0 ? WebSocketFrame.text(piece, fin) : WebSocketFrame.continuation(piece, fin));
            }
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketCloseEvent) {
                connection.closed.complete((WebSocketCloseEvent) evt);
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
