package dev.wsnetty.netty.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections per remote IP address, for {@link ServerConfig#maxConnectionsPerAddress()}: a connection
 * over the limit is not admitted (the server closes it before reading a byte); an admitted one is counted until
 * its channel closes.
 */
final class ConnectionsPerAddress {
    private final int max;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** One listener for every channel, rather than a lambda per connection. */
    private final ChannelFutureListener leave = closed -> left(closed.channel().remoteAddress());

    /** @param max the limit, at least 1 */
    ConnectionsPerAddress(int max) {
        this.max = max;
    }

    /** Counts {@code channel} in if its address is under the limit; false (and not counted) otherwise. */
    boolean admit(Channel channel) {
        InetAddress address = addressOf(channel.remoteAddress());
        if (address == null) {
            return true;
        }
        boolean[] admitted = new boolean[1];
        open.compute(address, (a, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < max;
            return admitted[0] ? now + 1 : count;
        });
        if (admitted[0]) {
            channel.closeFuture().addListener(leave);
        }
        return admitted[0];
    }

    /** The limit. */
    int max() {
        return max;
    }

    private void left(SocketAddress remote) {
        InetAddress address = addressOf(remote);
        if (address != null) {
            open.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getAddress() : null;
    }
}
