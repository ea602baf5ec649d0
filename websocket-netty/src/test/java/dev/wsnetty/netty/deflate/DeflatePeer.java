package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Our frame pipeline on plain TCP, with permessage-deflate added directly (the handshake that would agree it is not
 * part of these tests): a server on 127.0.0.1 and a free port, and clients connecting to it, each with
 * {@link WebSocketPipeline#addFrameHandlers} and, when {@code agreed} is not null,
 * {@link WebSocketPipeline#addDeflate}, then a {@link Received} recorder of the data frames that reach the application. Accepted server channels are
 * recorded for {@link #nextAccepted()}.
 */
final class DeflatePeer implements AutoCloseable {
    /** A data frame as it reached the application: opcode, FIN, payload and the capacity of its buffer. */
    record Received(int opcode, boolean fin, byte[] payload, int capacity) {
        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final DeflateParameters agreed;
    private final WebSocketConfig config;
    private final Channel serverChannel;
    private final EventRecorder<Channel> accepted = new EventRecorder<>("accepted connection");
    /** Data frames that reached the server's application. */
    final EventRecorder<Received> serverReceived = new EventRecorder<>("frame at the server");
    /** Data frames that reached a client's application. */
    final EventRecorder<Received> clientReceived = new EventRecorder<>("frame at the client");

    DeflatePeer(DeflateParameters agreed, WebSocketConfig config) {
        this.agreed = agreed;
        this.config = config;
        serverChannel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        build(ch.pipeline(), Role.SERVER, serverReceived);
                        accepted.record(ch);
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    private void build(ChannelPipeline pipeline, Role role, EventRecorder<Received> received) {
        WebSocketPipeline.addFrameHandlers(pipeline, config, role);
        if (agreed != null) {
            WebSocketPipeline.addDeflate(pipeline, agreed, config, role);
        }
        pipeline.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof WebSocketFrame frame && !frame.isControl()) {
                    try {
                        received.record(new Received(frame.opcode(), frame.isFinal(),
                                ByteBufUtil.getBytes(frame.content()), frame.content().capacity()));
                    } finally {
                        frame.release();
                    }
                } else {
                    ctx.fireChannelRead(msg);
                }
            }
        });
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The server side of the next accepted connection. */
    Channel nextAccepted() {
        return accepted.next();
    }

    /** A client of our own, same agreement and config, connected to the server. */
    Channel connectClient() {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        build(ch.pipeline(), Role.CLIENT, clientReceived);
                    }
                })
                .connect(serverChannel.localAddress()).syncUninterruptibly().channel();
    }

    /** The deflate handler of {@code channel}. */
    static PerMessageDeflateHandler deflateOf(Channel channel) {
        return (PerMessageDeflateHandler) channel.pipeline().get(WebSocketPipeline.DEFLATE);
    }

    /** Runs {@code task} on {@code channel}'s event loop and returns its result. */
    static <T> T onLoop(Channel channel, Callable<T> task) {
        try {
            return channel.eventLoop().submit(task).get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, Await.DEADLINE.toSeconds(), TimeUnit.SECONDS)
                .awaitUninterruptibly(2 * Await.DEADLINE.toMillis());
    }
}
