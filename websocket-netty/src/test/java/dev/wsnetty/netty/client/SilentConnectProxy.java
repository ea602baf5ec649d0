package dev.wsnetty.netty.client;

import dev.wsnetty.netty.internal.IoType;
import dev.wsnetty.testing.Await;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A broken HTTP proxy on Netty: it reads a CONNECT request and then either closes the connection without a word
 * ({@link #dropping()}) or keeps it open and never answers ({@link #neverAnswering()}). It records the request
 * lines it got.
 */
final class SilentConnectProxy implements AutoCloseable {
    private final EventLoopGroup group = IoType.NIO.newGroup(1, "silent-proxy");
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final Channel server;

    private SilentConnectProxy(boolean drop) {
        server = new ServerBootstrap().group(group).channel(IoType.NIO.serverChannelType())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new SimpleChannelInboundHandler<HttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
                                requests.add(request.method() + " " + request.uri());
                                if (drop) {
                                    ctx.close();
                                }
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** A proxy that closes the connection as soon as it has read the CONNECT. */
    static SilentConnectProxy dropping() {
        return new SilentConnectProxy(true);
    }

    /** A proxy that reads the CONNECT and never answers. */
    static SilentConnectProxy neverAnswering() {
        return new SilentConnectProxy(false);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next request line ("CONNECT host:port") the proxy read, waiting up to {@link Await#DEADLINE}. */
    String nextRequest() throws InterruptedException {
        String line = requests.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("the proxy got no request within " + Await.DEADLINE);
        }
        return line;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, Await.DEADLINE.toSeconds(), TimeUnit.SECONDS)
                .awaitUninterruptibly(2 * Await.DEADLINE.toMillis());
    }
}
