package dev.wsnetty.redis;

import dev.wsnetty.MessageType;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.codec.EncodedFrame;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which node holds which connection id, for messages to one connection wherever it is connected. Locally, a map
 * from id to channel; in Redis, the key {@code <prefix>id:<id>} holding the node's id, set with an expiry
 * ({@code idExpiry}) and refreshed every third of it while the connection is open, deleted when it closes (only
 * if it still names this node). A node that stops or crashes stops refreshing, so its entries vanish within
 * {@code idExpiry}. One id names one connection: binding it again, here or on another node, takes it over.
 *
 * <p>A direct message for an id held elsewhere goes, in an {@link Envelope} naming the id, to the holding node's
 * channel {@code <prefix>node:<node id>}, which every node subscribes to.
 */
final class IdRegistry {
    /** Deletes the key only if it still names this node: another node may have taken the id over since. */
    private static final String DELETE_IF_OURS =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    private final RedisAsyncCommands<String, byte[]> redis;
    private final String keyPrefix;
    private final String nodeChannelPrefix;
    private final long nodeId;
    private final byte[] nodeValue;
    private final Duration expiry;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    /** The ids bound on this node. */
    private final Map<String, Channel> local = new ConcurrentHashMap<>();
    private final LongAdder undeliverable = new LongAdder();

    IdRegistry(RedisAsyncCommands<String, byte[]> redis, ScheduledExecutorService thread, String prefix, long nodeId,
            Duration expiry) {
        this.redis = redis;
        this.keyPrefix = prefix + "id:";
        this.nodeChannelPrefix = prefix + "node:";
        this.nodeId = nodeId;
        this.nodeValue = Long.toUnsignedString(nodeId, 16).getBytes(StandardCharsets.UTF_8);
        this.expiry = expiry;
        long every = Math.max(1, expiry.toMillis() / 3);
        thread.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /** The channel this node receives direct messages on. */
    String nodeChannel() {
        return nodeChannelFor(new String(nodeValue, StandardCharsets.UTF_8));
    }

    private String nodeChannelFor(String node) {
        return nodeChannelPrefix + node;
    }

    /** Binds {@code id} to {@code channel} here and in Redis, until the channel closes. */
    void bind(String id, Channel channel) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Channel before = local.put(id, channel);
        if (before == channel) {
            return;
        }
        setEntry(id);
        channel.closeFuture().addListener((ChannelFutureListener) f -> unbind(id, channel));
    }

    /** Ends {@code id}'s binding if it is still to {@code channel}. */
    boolean unbind(String id, Channel channel) {
        if (!local.remove(id, channel)) {
            return false;
        }
        String[] keys = {keyPrefix + id};
        try {
            redis.eval(DELETE_IF_OURS, ScriptOutputType.INTEGER, keys, nodeValue);
        } catch (RuntimeException closed) {
            // The bridge closed: the entry expires.
        }
        return true;
    }

    /** Writes the message here if {@code id} is bound here, else publishes it to the holding node's channel. */
    CompletionStage<Boolean> send(String id, MessageType type, byte[] payload) {
        Objects.requireNonNull(id, "id");
        Channel here = local.get(id);
        if (here != null) {
            return CompletableFuture.completedFuture(write(here, type, payload, 0, payload.length));
        }
        byte[] envelope = Envelope.directMessage(nodeId, id, type, payload);
        RedisFuture<byte[]> holder = redis.get(keyPrefix + id);
        return holder.thenCompose(node -> {
            if (node == null) {
                undeliverable.increment();
                return CompletableFuture.completedFuture(false);
            }
            return redis.publish(nodeChannelFor(new String(node, StandardCharsets.UTF_8)), envelope)
                    .thenApply(receivers -> receivers > 0);
        });
    }

    /** A direct message from Redis for an id that should be here; on a Lettuce thread. */
    void received(Envelope envelope) {
        Channel channel = local.get(envelope.target());
        if (channel == null || !write(channel, envelope.type(), envelope.payload(), envelope.offset(),
                envelope.length())) {
            undeliverable.increment(); // left, or moved on, since the sender looked it up
        }
    }

    /** Direct messages that found no connection: unknown id, or gone by the time the message arrived. */
    long undeliverable() {
        return undeliverable.sum();
    }

    private boolean write(Channel channel, MessageType type, byte[] data, int offset, int length) {
        if (!channel.isActive()) {
            return false;
        }
        int opcode = type == MessageType.STRING ? WebSocketProtocol.OPCODE_TEXT : WebSocketProtocol.OPCODE_BINARY;
        channel.writeAndFlush(new EncodedFrame(EncodedFrame.encode(alloc, opcode, data, offset, length)),
                channel.voidPromise());
        return true;
    }

    /** On the bridge's thread: sets every local id's key again, with a fresh expiry (also after a Redis restart). */
    private void refresh() {
        for (String id : local.keySet()) {
            setEntry(id);
        }
    }

    /** Sets {@code id}'s key to this node with a fresh expiry; a failure (Redis away) waits for the next refresh. */
    private void setEntry(String id) {
        try {
            redis.set(keyPrefix + id, nodeValue, SetArgs.Builder.px(expiry));
        } catch (RuntimeException closed) {
            // The bridge closed.
        }
    }
}
