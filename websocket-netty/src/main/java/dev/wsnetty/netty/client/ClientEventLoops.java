package dev.wsnetty.netty.client;

import dev.wsnetty.netty.internal.IoType;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The event loop group that every {@link WebSocketClient} without a group of its own runs on, and the
 * socket channel type that fits a group.
 *
 * <p>The shared group is created on first use with one thread per available processor, epoll when the
 * native transport loads (Linux x86-64), NIO otherwise. Its threads ({@code wsnetty-client-N-M}) are
 * daemons, so it never keeps the JVM alive; {@link #shutdownShared} stops it for a clean exit, after which
 * the next connection creates a new one.
 */
final class ClientEventLoops {
    private static final long SHUTDOWN_QUIET_MILLIS = 0;

    private static EventLoopGroup shared;

    private ClientEventLoops() {
    }

    /** The shared group, created now if there is none. */
    static synchronized EventLoopGroup shared() {
        if (shared == null || shared.isShuttingDown()) {
            shared = IoType.best().newGroup(Runtime.getRuntime().availableProcessors(), "wsnetty-client");
        }
        return shared;
    }

    /**
     * Shuts the shared group down, if it was created, and waits at most {@code timeout} for its threads to
     * end. Connections still open on it are closed without a closing handshake.
     *
     * @return whether the group (if any) has terminated within the time
     */
    static boolean shutdownShared(Duration timeout) throws InterruptedException {
        EventLoopGroup group;
        synchronized (ClientEventLoops.class) {
            group = shared;
            shared = null;
        }
        if (group == null) {
            return true;
        }
        group.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return group.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The socket channel class for a group: epoll or NIO, told by the group's I/O handler.
     *
     * @throws IllegalArgumentException if the group is neither (then pass the channel class explicitly)
     */
    static Class<? extends SocketChannel> channelTypeFor(EventLoopGroup group) {
        return IoType.of(group).socketChannelType();
    }
}
