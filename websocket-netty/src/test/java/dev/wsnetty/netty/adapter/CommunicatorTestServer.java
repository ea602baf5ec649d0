package dev.wsnetty.netty.adapter;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.spi.QueuedCommunicator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A loopback server made of our handshake plus {@link NettyCommunicators#attach}: every upgraded connection's
 * communicator is queued for the test to take.
 */
final class CommunicatorTestServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<QueuedCommunicator> communicators = new LinkedBlockingQueue<>();
    private final Channel serverChannel;

    /**
     * @param settings  the communicators' settings
     * @param sendBuffer the accepted sockets' SO_SNDBUF, or 0 for the system default
     */
    CommunicatorTestServer(CommunicatorConfig settings, int sendBuffer) {
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", "*", (channel, request, subprotocol) ->
                communicators.add(NettyCommunicators.attach(channel, settings)), true, true);
        ServerHandshakeConfig upgrade = ServerHandshakeConfig.builder(router).config(WebSocketConfig.DEFAULT).build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WebSocketPipeline.addServerHandshake(ch.pipeline(), upgrade.config(), new ServerHandshakeHandler(upgrade));
                    }
                });
        if (sendBuffer > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, sendBuffer);
        }
        serverChannel = bootstrap.bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    CommunicatorTestServer() {
        this(CommunicatorConfig.DEFAULT, 0);
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The communicator of the next upgraded connection. */
    QueuedCommunicator nextCommunicator() throws InterruptedException {
        QueuedCommunicator c = communicators.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "no connection was upgraded");
        return c;
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
