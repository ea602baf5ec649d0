package dev.wsnetty.netty.client;

import dev.wsnetty.netty.internal.IoType;
import dev.wsnetty.testing.Await;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5Message;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small SOCKS5 proxy (RFC 1928) on Netty's SOCKS codec: CONNECT only, optionally with username/password
 * authentication (RFC 1929); a CONNECT to the host {@value #FORBIDDEN_HOST} is refused with "connection not allowed
 * by ruleset". It records each CONNECT's destination as the client sent it and relays bytes both ways.
 */
final class Socks5TestProxy implements AutoCloseable {
    /** A destination host the proxy refuses. */
    static final String FORBIDDEN_HOST = "forbidden.invalid";

    private final EventLoopGroup group = IoType.NIO.newGroup(1, "socks5-proxy");
    private final BlockingQueue<String> destinations = new LinkedBlockingQueue<>();
    private final String user;
    private final String password;
    private final Channel server;

    /** A proxy asking for {@code user} and {@code password}, or for no authentication when {@code user} is null. */
    Socks5TestProxy(String user, String password) {
        this.user = user;
        this.password = password;
        server = new ServerBootstrap().group(group).channel(IoType.NIO.serverChannelType())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Socks5ServerEncoder.DEFAULT, new Socks5InitialRequestDecoder(),
                                new Greeting());
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next CONNECT's destination as "type host:port", waiting up to {@link Await#DEADLINE}. */
    String nextDestination() throws InterruptedException {
        String d = destinations.poll(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (d == null) {
            throw new AssertionError("the SOCKS5 proxy got no CONNECT within " + Await.DEADLINE);
        }
        return d;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, Await.DEADLINE.toSeconds(), TimeUnit.SECONDS)
                .awaitUninterruptibly(2 * Await.DEADLINE.toMillis());
    }

    /** The SOCKS5 exchange up to the CONNECT, then the relay. */
    private final class Greeting extends SimpleChannelInboundHandler<Socks5Message> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Socks5Message msg) {
            if (msg instanceof Socks5InitialRequest) {
                if (user != null) {
                    ctx.pipeline().addFirst(new Socks5PasswordAuthRequestDecoder());
                    ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
                } else {
                    ctx.pipeline().addFirst(new Socks5CommandRequestDecoder());
                    ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
                }
            } else if (msg instanceof Socks5PasswordAuthRequest) {
                Socks5PasswordAuthRequest auth = (Socks5PasswordAuthRequest) msg;
                if (user.equals(auth.username()) && password.equals(auth.password())) {
                    ctx.pipeline().addFirst(new Socks5CommandRequestDecoder());
                    ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
                } else {
                    ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else if (msg instanceof Socks5CommandRequest) {
                connect(ctx, (Socks5CommandRequest) msg);
            } else {
                ctx.close();
            }
        }

        private void connect(ChannelHandlerContext ctx, Socks5CommandRequest request) {
            destinations.add(request.dstAddrType() + " " + request.dstAddr() + ":" + request.dstPort());
            if (request.type() != Socks5CommandType.CONNECT || request.dstAddr().equals(FORBIDDEN_HOST)) {
                refuse(ctx, Socks5CommandStatus.FORBIDDEN);
                return;
            }
            Channel client = ctx.channel();
            client.config().setAutoRead(false);
            new Bootstrap().group(client.eventLoop()).channel(IoType.NIO.socketChannelType())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Await.DEADLINE.toMillis())
                    .handler(new Relay(client))
                    .connect(request.dstAddr(), request.dstPort()).addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            refuse(ctx, Socks5CommandStatus.CONNECTION_REFUSED);
                            return;
                        }
                        ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS,
                                Socks5AddressType.IPv4, "0.0.0.0", 0));
                        ctx.pipeline().remove(this);
                        ctx.pipeline().addLast(new Relay(f.channel()));
                        client.config().setAutoRead(true);
                    });
        }

        private void refuse(ChannelHandlerContext ctx, Socks5CommandStatus status) {
            ctx.writeAndFlush(new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Writes what one side reads to the other; the end of one ends both. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Relay(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (other.isActive()) {
                other.writeAndFlush(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            other.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
