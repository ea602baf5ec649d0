package dev.wsnetty.netty.internal;

import dev.wsnetty.internal.Log;
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

import java.util.Locale;

/**
 * Netty's I/O types that wsnetty runs on: the native epoll one where it loads (Linux), NIO elsewhere, and io_uring
 * when asked for with the system property {@value #PROPERTY} and usable. Server and client take their event loops
 * and channel classes from here.
 */
public enum IoType {
    /** Linux epoll. */
    EPOLL,
    /**
     * Linux io_uring ({@code netty-transport-native-io_uring}, an optional dependency): used only when
     * {@value #PROPERTY} asks for it, the jar is on the path and the kernel allows it.
     */
    IO_URING,
    /** Java NIO. */
    NIO;

    /**
     * System property choosing the I/O type of servers and clients that are not given an event loop group:
     * {@code epoll}, {@code io_uring} or {@code nio}; unset (or {@code auto}): epoll where it loads, else NIO. A type
     * that cannot be used here falls back to that default. Read when a server binds or the clients' shared group
     * is created.
     */
    public static final String PROPERTY = "wsnetty.io";

    private static final Log LOG = Log.of(IoType.class);

    /** The type {@value #PROPERTY} asks for if it can be used, else epoll when it loads, else NIO. */
    public static IoType best() {
        return chosen(System.getProperty(PROPERTY));
    }

    /**
     * The type {@code requested} names ({@code epoll}, {@code io_uring}, {@code nio}, any case) if it can be used
     * here; otherwise, and for {@code null}, {@code auto} or an unknown name, epoll when it loads, else NIO.
     */
    public static IoType chosen(String requested) {
        IoType fallback = Epoll.isAvailable() ? EPOLL : NIO;
        if (requested == null || requested.isBlank() || "auto".equalsIgnoreCase(requested)) {
            return fallback;
        }
        switch (requested.trim().toLowerCase(Locale.ROOT)) {
            case "io_uring":
            case "iouring":
                return usableOr(IO_URING, fallback);
            case "epoll":
                return usableOr(EPOLL, fallback);
            case "nio":
                return NIO;
            default:
                LOG.log(Log.Level.WARN, () -> PROPERTY + "=" + requested
                        + " is not epoll, io_uring or nio; using " + fallback);
                return fallback;
        }
    }

    /** Whether this type can be used in this JVM on this kernel. */
    public boolean isUsable() {
        switch (this) {
            case EPOLL:
                return Epoll.isAvailable();
            case IO_URING:
                return IoUringSupport.AVAILABLE;
            default:
                return true;
        }
    }

    private static IoType usableOr(IoType wanted, IoType fallback) {
        if (wanted.isUsable()) {
            return wanted;
        }
        LOG.log(Log.Level.WARN, () -> PROPERTY + " asks for " + wanted
                + ", which cannot be used here (library absent or refused by the kernel); using " + fallback);
        return fallback;
    }

    /**
     * The I/O type of {@code group}, told by its I/O handler.
     *
     * @throws IllegalArgumentException if the group is neither epoll, io_uring nor NIO
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
            if (IoUringSupport.runs(io)) {
                return IO_URING;
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
     * @throws IllegalStateException if this type {@linkplain #isUsable() cannot be used} here
     */
    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), handlerFactory());
    }

    private IoHandlerFactory handlerFactory() {
        switch (this) {
            case EPOLL:
                return EpollIoHandler.newFactory();
            case IO_URING:
                requireUsable();
                return IoUringSupport.factory();
            default:
                return NioIoHandler.newFactory();
        }
    }

    /** The server channel class of this type. */
    public Class<? extends ServerSocketChannel> serverChannelType() {
        switch (this) {
            case EPOLL:
                return EpollServerSocketChannel.class;
            case IO_URING:
                requireUsable();
                return IoUringSupport.serverChannelType();
            default:
                return NioServerSocketChannel.class;
        }
    }

    /** The socket channel class of this type. */
    public Class<? extends SocketChannel> socketChannelType() {
        switch (this) {
            case EPOLL:
                return EpollSocketChannel.class;
            case IO_URING:
                requireUsable();
                return IoUringSupport.socketChannelType();
            default:
                return NioSocketChannel.class;
        }
    }

    private void requireUsable() {
        if (!isUsable()) {
            throw new IllegalStateException(this + " cannot be used here (library absent or refused by the kernel)");
        }
    }
}
