package dev.wsnetty.netty.testing;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.internal.IoType;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our server pipeline on 127.0.0.1 and a free port, built from its parts: optional TLS, then the handshake of
 * {@link WebSocketPipeline#addServerHandshake} for the routes and hooks of a {@link ServerHandshakeConfig}, then,
 * optionally, the test's own HTTP handlers (the HTTP fallback side). Whatever a route leads to (a
 * {@link WebSocketEndpoint} such as {@link EchoEndpoint}) takes the upgraded connection. Every accepted connection
 * is recorded for {@link #nextAccepted()}. For tests of {@code WebSocketServer} itself, see
 * {@link WebSocketServerFixture}.
 *
 * <pre>{@code
 * EchoEndpoint echo = new EchoEndpoint();
 * try (TestServer server = TestServer.builder(TestServer.everywhere(echo).build()).start();
 *      RawClient client = RawClient.upgrade(server.port(), "/")) { ... }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final EventRecorder<Channel> accepted = new EventRecorder<>("accepted connection");

    private TestServer(Builder b) {
        group = b.io.newGroup(b.threads, "test-server");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(b.io.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, b.backlog)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.record(ch);
                        if (b.tls != null) {
                            ch.pipeline().addLast(WebSocketPipeline.TLS, b.tls.newHandler(ch.alloc()));
                        }
                        WebSocketPipeline.addServerHandshake(ch.pipeline(), b.handshake.config(),
                                new ServerHandshakeHandler(b.handshake));
                        b.httpSide.accept(ch.pipeline());
                    }
                });
        if (b.sendBuffer > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, b.sendBuffer);
        }
        serverChannel = bootstrap.bind(b.address, 0).syncUninterruptibly().channel();
    }

    /** A server for the routes, hooks and limits of {@code handshake}. */
    public static Builder builder(ServerHandshakeConfig handshake) {
        return new Builder(handshake);
    }

    /** A plain ws server for the routes, hooks and limits of {@code handshake}. */
    public static TestServer start(ServerHandshakeConfig handshake) {
        return builder(handshake).start();
    }

    /** A server whose every host and path leads to {@code endpoint}, with the default handshake settings. */
    public static TestServer start(WebSocketEndpoint endpoint) {
        return builder(everywhere(endpoint).build()).start();
    }

    /** A server whose every host and path leads to {@code endpoint}, with these limits and timeouts. */
    public static TestServer start(WebSocketEndpoint endpoint, WebSocketConfig config) {
        return builder(everywhere(endpoint).config(config).build()).start();
    }

    /**
     * Handshake settings routing every host and path to {@code endpoint} (the original's {@code ("*", "*", true,
     * true)} registration), to be completed with limits, an accept executor or HTTP fallback.
     */
    public static ServerHandshakeConfig.Builder everywhere(WebSocketEndpoint endpoint) {
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", "*", endpoint, true, true);
        return ServerHandshakeConfig.builder(router);
    }

    /** The port the server listens on, on 127.0.0.1 unless {@link Builder#address} said otherwise. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** {@code ws://127.0.0.1:port} followed by {@code path}. */
    public URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port() + path);
    }

    /** The server side of the next accepted connection, waiting up to {@link Await#DEADLINE}. */
    public Channel nextAccepted() {
        return accepted.next();
    }

    /** Waits until the server has closed {@code channel}, failing the test after {@link Await#DEADLINE}. */
    public static void assertClosedByServer(Channel channel) {
        assertTrue(channel.closeFuture().awaitUninterruptibly(Await.DEADLINE.toMillis()),
                "the server did not close " + channel);
    }

    /** Closes the listening socket, then every connection with the event loops. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, Await.DEADLINE.toSeconds(), TimeUnit.SECONDS)
                .awaitUninterruptibly(2 * Await.DEADLINE.toMillis());
    }

    /** The server's options; each has a default, so {@code builder(handshake).start()} is a plain ws server. */
    public static final class Builder {
        private final ServerHandshakeConfig handshake;
        private SslContext tls;
        private Consumer<ChannelPipeline> httpSide = pipeline -> { };
        private int sendBuffer;
        private IoType io = IoType.NIO;
        private int threads = 1;
        private int backlog = 128;
        private String address = "127.0.0.1";

        private Builder(ServerHandshakeConfig handshake) {
            this.handshake = Objects.requireNonNull(handshake, "handshake");
        }

        /** Serves wss with this server context; plain ws by default. */
        public Builder tls(SslContext serverContext) {
            this.tls = serverContext;
            return this;
        }

        /**
         * Lets {@code httpSide} add handlers after the handshake handler: the application's HTTP side, which gets
         * what is not a WebSocket handshake when the handshake settings enable HTTP fallback. None by default.
         */
        public Builder httpSide(Consumer<ChannelPipeline> httpSide) {
            this.httpSide = Objects.requireNonNull(httpSide, "httpSide");
            return this;
        }

        /** The accepted sockets' SO_SNDBUF in bytes; the system default (0) by default. */
        public Builder sendBuffer(int bytes) {
            this.sendBuffer = bytes;
            return this;
        }

        /** The I/O type and event loop threads; NIO and one thread by default. */
        public Builder io(IoType io, int threads) {
            this.io = Objects.requireNonNull(io, "io");
            this.threads = threads;
            return this;
        }

        /** The address to listen on, e.g. "::1"; 127.0.0.1 by default. */
        public Builder address(String address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The listening socket's accept queue; 128 by default. */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /** Binds the server and returns it running. */
        public TestServer start() {
            return new TestServer(this);
        }
    }
}
