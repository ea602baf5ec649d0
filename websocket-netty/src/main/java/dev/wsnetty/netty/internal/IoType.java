package dev.wsnetty.netty.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
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
 * Netty's I/O types that wsnetty runs on: the native epoll one where it loads (Linux), NIO elsewhere. Server and
 * client take their event loops and channel classes from here.
 */
public enum IoType {
    /** Linux epoll. */
    EPOLL,
    /** Java NIO. */
    NIO;

    /** Epoll when {@link Epoll#isAvailable()}, else NIO. */
    public static IoType best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /**
     * The I/O type of {@code group}, told by its I/O handler.
     *
     * @throws IllegalArgumentException if the group is neither epoll nor NIO
     */
    public static IoType of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup) {
            IoEventLoopGroup io = (IoEventLoopGroup) group;
            if (io.isIoType(EpollIoHandler.class)) {
                return EPOLL;
            }
            if (io.isIoType(NioIoHandler.class)) {
                return NIO;
            }
        }
        throw new IllegalArgumentException("cannot tell the socket channel type for " + group.getClass().getName()
                + ": pass it explicitly with setEventLoopGroup(group, channelType)");
    }

    /**
     * Event loops of this type, on daemon threads: a server or client whose owner forgot to stop it must not keep
     * the JVM alive.
     *
     * @param threads how many; 0 for Netty's default (twice the processors)
     * @param name    the threads' name prefix
     */
    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /** The server channel class of this type. */
    public Class<? extends ServerSocketChannel> serverChannelType() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The socket channel class of this type. */
    public Class<? extends SocketChannel> socketChannelType() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
