package dev.wsnetty.netty.conformance;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an echo server the way the autobahntestsuite-maven-plugin expects of its {@code mainClass}.
 *
 * <p>The plugin calls {@code main(new String[] {port})} on a thread of its own inside the Maven JVM, waits
 * until the port accepts connections, points the fuzzing client at {@code InetAddress.getLocalHost()}
 * (127.0.0.1 if that fails) and interrupts the thread when the run is over. So the server binds to that same
 * address, serves until interrupted, then shuts its event loops down.
 */
public final class AutobahnServerRunner {
    private AutobahnServerRunner() {
    }

    /**
     * Binds a server on the plugin's address and the port in {@code args[0]}, and serves until the calling
     * thread is interrupted.
     *
     * @param args the {@code main} arguments: exactly one, the port
     * @param pipeline installs the server's handlers into each accepted channel's pipeline
     * @throws IllegalArgumentException if {@code args} is not a single port number
     */
    public static void run(String[] args, Consumer<SocketChannel> pipeline) {
        if (args.length != 1 || !args[0].matches("\\d{1,5}")) {
            throw new IllegalArgumentException("expected one argument, the port to listen on; got "
                    + String.join(" ", args));
        }
        InetSocketAddress address = new InetSocketAddress(pluginHost(), Integer.parseInt(args[0]));
        try (Running server = start(address, pipeline)) {
            System.out.println("Autobahn echo server listening on " + server.channel.localAddress());
            server.channel.closeFuture().sync();
        } catch (InterruptedException e) {
            // The plugin's way of saying the run is over.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Binds a server on {@code address} (port 0: a free one) and returns at once; for the runs that start the suite
     * themselves.
     *
     * @param pipeline installs the server's handlers into each accepted channel's pipeline
     * @throws InterruptedException if interrupted while binding
     */
    static Running start(InetSocketAddress address, Consumer<SocketChannel> pipeline) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            pipeline.accept(channel);
                        }
                    })
                    .bind(address).sync().channel();
            return new Running(server, group);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** A bound server; closing it shuts its event loops down. */
    static final class Running implements AutoCloseable {
        private final Channel channel;
        private final EventLoopGroup group;

        private Running(Channel channel, EventLoopGroup group) {
            this.channel = channel;
            this.group = group;
        }

        /** The port it listens on. */
        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** The host the plugin's fuzzing client connects to. */
    private static InetAddress pluginHost() {
        try {
            return InetAddress.getLocalHost();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }
}
