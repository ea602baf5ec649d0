package dev.wsnetty.netty.internal;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * Netty's io_uring transport, an optional dependency: this is the only class that names its types, and it is
 * loaded only after {@link #AVAILABLE} said that the classes are there and the kernel lets us use io_uring, so a
 * missing jar or a refusing kernel (too old, {@code io_uring_disabled}, a seccomp filter) ends in epoll or NIO.
 */
final class IoUringSupport {
    /** Whether io_uring can be used: the classes and the native library load and the kernel accepts a ring. */
    static final boolean AVAILABLE = probe();

    private IoUringSupport() {
    }

    private static boolean probe() {
        try {
            Class.forName("io.netty.channel.uring.IoUring", false, IoUringSupport.class.getClassLoader());
            return IoUring.isAvailable();
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    static IoHandlerFactory factory() {
        return IoUringIoHandler.newFactory();
    }

    /** Whether {@code group} runs io_uring; false when the classes are absent. */
    static boolean runs(IoEventLoopGroup group) {
        return AVAILABLE && group.isIoType(IoUringIoHandler.class);
    }

    static Class<? extends ServerSocketChannel> serverChannelType() {
        return IoUringServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> socketChannelType() {
        return IoUringSocketChannel.class;
    }
}
