package dev.wsnetty.netty.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The native epoll transport where it loads (Linux), NIO elsewhere: the event loops and the server channel type. */
enum ServerTransport {
    /** Linux epoll. */
    EPOLL,
    /** Java NIO. */
    NIO;

    /** Epoll when {@link Epoll#isAvailable()}, else NIO. */
    static ServerTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /**
     * Event loops of this transport.
     *
     * @param threads how many; 0 for Netty's default (twice the processors)
     * @param name    the threads' name prefix
     */
    EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // Daemon threads: a server whose owner forgot stop() must not keep the JVM alive.
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /** The server channel class of this transport. */
    Class<? extends ServerSocketChannel> serverChannelType() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
