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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.Locale;

/**
 * The socket transport shared by the echo servers, the load generator and the connection-scale tool: epoll when
 * the native library loads, NIO otherwise. {@code -Dwsnetty.bench.transport=nio} forces NIO and
 * {@code =io_uring} asks for io_uring (epoll or NIO when it cannot be used, said on stderr), so the transports can
 * be compared with the same jar. Without it, the library's own choice {@code -Dwsnetty.io} (which
 * {@code WebSocketServer}, and so the blocking echo server, follows) is taken, so one option moves all servers.
 */
public final class Transports {
    private enum Kind { EPOLL, IO_URING, NIO }

    private static final Kind KIND = choose(System.getProperty("wsnetty.bench.transport",
            System.getProperty("wsnetty.io", "")));

    private Transports() {
    }

    private static Kind choose(String requested) {
        String wanted = requested.trim().toLowerCase(Locale.ROOT);
        Kind fallback = Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
        if ("nio".equals(wanted)) {
            return Kind.NIO;
        }
        if ("io_uring".equals(wanted)) {
            if (IoUring.isAvailable()) {
                return Kind.IO_URING;
            }
            System.err.println("io_uring cannot be used here (" + IoUring.unavailabilityCause() + "); using "
                    + fallback);
        }
        return fallback;
    }

    /** "epoll", "io_uring" or "nio": the transport in use, for reports. */
    public static String name() {
        return KIND.name().toLowerCase(Locale.ROOT);
    }

    /** A new event loop group of {@code threads} threads named after {@code poolName}. */
    public static EventLoopGroup newGroup(int threads, String poolName) {
        IoHandlerFactory factory;
        switch (KIND) {
            case EPOLL:
                factory = EpollIoHandler.newFactory();
                break;
            case IO_URING:
                factory = IoUringIoHandler.newFactory();
                break;
            default:
                factory = NioIoHandler.newFactory();
        }
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(poolName), factory);
    }

    /** The client socket channel class of the transport. */
    public static Class<? extends SocketChannel> socketChannel() {
        switch (KIND) {
            case EPOLL:
                return EpollSocketChannel.class;
            case IO_URING:
                return IoUringSocketChannel.class;
            default:
                return NioSocketChannel.class;
        }
    }

    /** The server socket channel class of the transport. */
    public static Class<? extends ServerSocketChannel> serverSocketChannel() {
        switch (KIND) {
            case EPOLL:
                return EpollServerSocketChannel.class;
            case IO_URING:
                return IoUringServerSocketChannel.class;
            default:
                return NioServerSocketChannel.class;
        }
    }
}
