package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real server on 127.0.0.1 with the handshake pipeline of {@link WebSocketPipeline#addServerHandshake}. */
final class TestServer implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 5;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    private final Channel serverChannel;

    private TestServer(ServerHandshakeConfig settings, Consumer<ChannelPipeline> httpSide) {
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.add(ch);
                        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
                        httpSide.accept(ch.pipeline());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** Starts a server whose pipeline ends with the upgrade handler. */
    static TestServer start(ServerHandshakeConfig settings) {
        return new TestServer(settings, pipeline -> { });
    }

    /** Starts a server and lets {@code httpSide} add handlers after the upgrade handler. */
    static TestServer start(ServerHandshakeConfig settings, Consumer<ChannelPipeline> httpSide) {
        return new TestServer(settings, httpSide);
    }

    /** Settings routing every host and path to {@code endpoint}: the original's ("*", "*", true, true) idiom. */
    static ServerHandshakeConfig.Builder everywhere(WebSocketEndpoint endpoint) {
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", "*", endpoint, true, true);
        return ServerHandshakeConfig.builder(router);
    }

    /** A new raw client connected to this server. */
    RawClient connect() throws IOException {
        return new RawClient(((InetSocketAddress) serverChannel.localAddress()).getPort());
    }

    /** The server side of the next accepted connection. */
    Channel nextAccepted() throws InterruptedException {
        Channel ch = accepted.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(ch, "no connection accepted");
        return ch;
    }

    /** Waits until the server has closed {@code ch}. */
    static void assertClosedByServer(Channel ch) throws InterruptedException {
        assertTrue(ch.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "server did not close " + ch);
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, TIMEOUT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(2 * TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
    }
}
