package dev.wsnetty.netty.interop;

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
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Our server on a real loopback port: {@link WebSocketPipeline#addServerHandshake} with a router whose only route is
 * {@value #PATH} (any host), leading to an endpoint that installs a {@link MessageAggregator} and an echo
 * handler. The echo handler sends every whole message back as one frame and records, for the tests, the
 * upgraded channels, the messages it echoed and the {@link WebSocketCloseEvent} of each connection.
 */
public final class EchoServer implements AutoCloseable {
    /** The echo route. */
    public static final String PATH = "/echo";
    /** How long the accessors wait for something to happen. */
    public static final long WAIT_SECONDS = 10;

    /** A message the echo handler received (and sent back). */
    public record Message(int opcode, byte[] payload) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Channel> connections = new LinkedBlockingQueue<>();
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<WebSocketCloseEvent> closeEvents = new LinkedBlockingQueue<>();
    private final Channel serverChannel;

    private EchoServer(WebSocketConfig config) {
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", PATH, this::opened, true, false);
        ServerHandshakeConfig settings = ServerHandshakeConfig.builder(router).config(config).build();
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** Starts a server with these limits and timeouts. */
    public static EchoServer start(WebSocketConfig config) {
        return new EchoServer(config);
    }

    private void opened(Channel channel, HandshakeRequest request, String subprotocol) {
        channel.pipeline().addLast("aggregator", new MessageAggregator()).addLast("echo", new Echo());
        connections.add(channel);
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** {@code ws://127.0.0.1:port/echo}. */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + PATH);
    }

    /** The server side of the next upgraded connection. */
    public Channel nextConnection() throws InterruptedException {
        return take(connections, "no connection was upgraded");
    }

    /** The next message the echo handler received. */
    public Message nextMessage() throws InterruptedException {
        return take(messages, "no message reached the echo handler");
    }

    /** The close event of the next connection that ended. */
    public WebSocketCloseEvent nextCloseEvent() throws InterruptedException {
        return take(closeEvents, "no connection ended");
    }

    /** Messages received and not yet taken. */
    public int pendingMessages() {
        return messages.size();
    }

    private static <T> T take(BlockingQueue<T> queue, String failure) throws InterruptedException {
        T item = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(item, failure + " within " + WAIT_SECONDS + " s");
        return item;
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, WAIT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(2 * WAIT_SECONDS,
                TimeUnit.SECONDS);
    }

    /** Sends each whole message back; releases control frames (the protocol handler has dealt with them). */
    private final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame && !((WebSocketFrame) msg).isControl()) {
                WebSocketFrame message = (WebSocketFrame) msg;
                messages.add(new Message(message.opcode(), ByteBufUtil.getBytes(message.content())));
                ctx.writeAndFlush(message); // the encoder releases it
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketCloseEvent) {
                closeEvents.add((WebSocketCloseEvent) evt);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the protocol handler has already answered what concerns the peer
        }
    }
}
