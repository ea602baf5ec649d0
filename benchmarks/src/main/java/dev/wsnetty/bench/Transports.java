package dev.wsnetty.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport shared by the echo servers, the load generator and the connection-scale tool:
 * epoll when the native library loads, NIO otherwise. {@code -Dwsnetty.bench.transport=nio} forces NIO,
 * so the two can be compared with the same jar.
 */
public final class Transports {
    private static final boolean EPOLL =
            !"nio".equalsIgnoreCase(System.getProperty("wsnetty.bench.transport")) && Epoll.isAvailable();

    private Transports() {
    }

    /** "epoll" or "nio": the transport in use, for reports. */
    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    /** A new event loop group of {@code threads} threads named after {@code poolName}. */
    public static EventLoopGroup newGroup(int threads, String poolName) {
        IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(poolName), factory);
    }

    /** The client socket channel class of the transport. */
    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The server socket channel class of the transport. */
    public static Class<? extends ServerSocketChannel> serverSocketChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
