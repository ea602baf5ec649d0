package dev.wsnetty.netty.server;

import dev.wsnetty.Communicator;
import dev.wsnetty.internal.Log;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Every open connection of a server, upgraded or not, so that stopping the server can close them all: upgraded
 * ones with a Close frame through their communicator, the others (still in the handshake, or plain HTTP) by
 * closing TCP. A connection leaves by itself when its channel closes.
 */
final class LiveConnections {
    private static final Log LOG = Log.of(LiveConnections.class);
    /** The value of a connection that has no communicator (yet). */
    private static final Object NOT_UPGRADED = new Object();

    private final Map<Channel, Object> connections = new ConcurrentHashMap<>();
    /** One listener for every channel, rather than a lambda per connection that captures its channel. */
    private final ChannelFutureListener removeOnClose = closed -> connections.remove(closed.channel());

    /** Tracks a newly accepted connection until its channel closes. */
    void accepted(Channel channel) {
        connections.put(channel, NOT_UPGRADED);
        channel.closeFuture().addListener(removeOnClose);
    }

    /** Records the communicator of an upgraded connection. */
    void upgraded(Channel channel, Communicator communicator) {
        // replace, not put: a channel that closed meanwhile has already left and must not come back.
        connections.replace(channel, communicator);
    }

    private void close(Channel channel, int code, String reason) {
        Object value = connections.get(channel);
        if (!(value instanceof Communicator)) {
            channel.close();
            return;
        }
        try {
            ((Communicator) value).close(code, reason);
        } catch (RuntimeException e) {
            LOG.log(Log.Level.DEBUG, () -> "could not send Close to " + channel, e);
            channel.close();
        }
    }

    /** The upgraded connections' channels, a snapshot. */
    List<Channel> upgradedChannels() {
        List<Channel> upgraded = new ArrayList<>();
        connections.forEach((channel, value) -> {
            if (value instanceof Communicator) {
                upgraded.add(channel);
            }
        });
        return upgraded;
    }

    /** How many connections are open. */
    int size() {
        return connections.size();
    }

    /**
     * Closes every connection: upgraded ones with a Close frame carrying {@code code} and {@code reason}, the
     * others at once; waits at most {@code grace} for the peers to answer their Close frames, then closes TCP of
     * whatever is still open. Returns once every channel was told to close.
     */
    void closeAll(int code, String reason, Duration grace) {
        List<Channel> waitFor = new ArrayList<>(connections.keySet());
        for (Channel channel : waitFor) {
            try {
                // On the event loop, where upgrades happen: a connection is either still in its handshake or
                // already has its communicator (registered in the same task that wrote the 101), never in between.
                channel.eventLoop().execute(() -> close(channel, code, reason));
            } catch (RejectedExecutionException e) {
                channel.close();
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Channel channel : waitFor) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !channel.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                channel.close();
            }
        }
    }
}
