package dev.wsnetty.redis;

import dev.wsnetty.MessageType;
import dev.wsnetty.netty.topics.ChannelTopics;
import dev.wsnetty.netty.topics.TopicsRelay;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Makes the topics of one server ({@link ChannelTopics}, e.g. {@code WebSocketServer.topics()}) cluster-wide
 * through Redis pub/sub: a message published on any node that runs a bridge to the same Redis reaches the
 * subscribers of every node. Start one per server, before it accepts connections, with {@link #start}; close it
 * when the server stops.
 *
 * <p><b>How</b>: each publish here goes to the local subscribers at once and, in an {@link Envelope} (which names
 * this node), to the Redis channel {@code <prefix>topic:<name>}. A node is subscribed to that channel only while
 * it has local subscribers of the topic (one {@code SUBSCRIBE} on the first, {@code UNSUBSCRIBE} on the last,
 * {@link RedisSubscriptions}); what it receives from Redis it encodes once and serves to its local subscribers,
 * skipping its own messages, which it served when they were published. So each message is delivered once per
 * subscriber and encoded once per node. Plain channels, not patterns: Redis matches every {@code PUBLISH}
 * against every pattern subscription of every client (O(patterns) per publish), but finds a plain channel's
 * subscribers in one hash lookup, so a thousand topics cost nothing per publish. On Redis Cluster, classic pub/sub
 * broadcasts every message over the cluster bus to every shard; sharded pub/sub ({@code SSUBSCRIBE} /
 * {@code SPUBLISH}, Redis 7) keeps a channel's traffic on the shard that owns its slot, and is the way to grow
 * past one Redis (module README).
 *
 * <p><b>Order</b>: the messages of one publisher reach every subscriber, local or remote, in the order published
 * (one Redis connection per node for publishing, one for receiving; Redis keeps order per connection). Local
 * and remote subscribers are not served at the same instant: remote ones one Redis round trip later.
 *
 * <p><b>Failures</b>: publishing never blocks: it copies the payload into the envelope and hands the command to
 * Lettuce, at most {@link RedisBridgeConfig#maxPendingPublishes()} publishes (and
 * {@link RedisBridgeConfig#maxPendingBytes()}) waiting for Redis's answer, each for at most
 * {@link RedisBridgeConfig#commandTimeout()}. While Redis is unreachable, or past that bound, a publish still
 * reaches the local subscribers and is counted in {@link #lostPublishes()} (one warning per outage in the log, and
 * one line with the count when publishes succeed again); nothing is queued for later, so no stale burst follows
 * an outage. Lettuce reconnects by itself ({@link RedisBridgeConfig#reconnectDelayMin()} doubling up to
 * {@code Max}) and the bridge sends its subscriptions again; messages other nodes published while this node was
 * disconnected are not seen here. A publish whose payload exceeds {@link RedisBridgeConfig#maxPayloadBytes()}
 * throws {@link IllegalArgumentException} and reaches nobody, not even the local subscribers.
 *
 * <p><b>One connection, wherever it is</b>: {@link #bind} names a connection with an id (a user's, a
 * session's); {@link #sendTo} reaches it from any node, through a registry in Redis ({@code <prefix>id:<id>} =
 * the holding node, expiring unless the node refreshes it, so a crashed node's entries vanish) and a channel per
 * node ({@code <prefix>node:<node id>}).
 *
 * <p>Threads: Lettuce runs its own I/O threads (its {@link ClientResources}, made and shut down by the bridge); the
 * bridge adds one thread for its subscription commands. Every method is thread-safe.
 */
public final class RedisTopicsBridge implements AutoCloseable {
    // Netty's logger factory: the application's SLF4J, Log4j 2 or JUL (websocket-api's Log is not exported here).
    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(RedisTopicsBridge.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final ChannelTopics topics;
    private final RedisBridgeConfig config;
    /** This node's id, random: 2^-64 chance that two nodes share one. */
    private final long nodeId = ThreadLocalRandom.current().nextLong();
    private final String topicPrefix;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final ScheduledExecutorService thread;
    private final RedisSubscriptions subscriptions;
    private final IdRegistry ids;
    private final PublishLosses losses = new PublishLosses();
    /** Publishes sent and not answered yet. */
    private final AtomicInteger pending = new AtomicInteger();
    /** The bytes of the pending publishes' envelopes. */
    private final AtomicLong pendingBytes = new AtomicLong();
    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    /** Whether the receiving connection was lost and is not back yet; on Lettuce's threads. */
    private volatile boolean disconnected;
    /** Set by {@link #close()}. */
    private volatile boolean closed;

    private RedisTopicsBridge(ChannelTopics topics, RedisBridgeConfig config) {
        this.topics = topics;
        this.config = config;
        this.topicPrefix = config.channelPrefix() + "topic:";
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2) // Lettuce's minimum
                .reconnectDelay(Delay.exponential(config.reconnectDelayMin(), config.reconnectDelayMax(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, config.uri());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected a command fails at once: a publish is counted lost instead of queued.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wsnetty-redis-bridge");
            t.setDaemon(true);
            return t;
        });
        StatefulRedisConnection<String, byte[]> commands = null;
        StatefulRedisPubSubConnection<String, byte[]> receiving = null;
        try {
            commands = client.connect(CODEC);
            receiving = client.connectPubSub(CODEC);
        } catch (RuntimeException e) {
            if (commands != null) {
                commands.close();
            }
            shutDown();
            throw e;
        }
        this.connection = commands;
        this.pubsub = receiving;
        this.subscriptions = new RedisSubscriptions(topics, pubsub.async(), thread, topicPrefix,
                config.reconnectDelayMin());
        this.ids = new IdRegistry(connection.async(), thread, config.channelPrefix(), nodeId, config.idExpiry());
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onMessage(channel, message);
            }
        });
        pubsub.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                if (disconnected) {
                    disconnected = false;
                    LOG.info("reconnected to Redis at " + address
                            + "; subscribing to this node's topics again");
                }
                pubsub.async().subscribe(ids.nodeChannel());
                subscriptions.resubscribeAll();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (closed) {
                    return;
                }
                disconnected = true;
                LOG.warn("lost the connection to Redis for receiving topic messages;"
                        + " reconnecting (messages other nodes publish meanwhile are not seen here)");
            }
        });
    }

    /**
     * Connects to Redis and makes {@code topics} cluster-wide from now on. Call it before any connection
     * subscribes: topics that already have subscribers are not subscribed in Redis.
     *
     * @param topics the server's topics ({@code WebSocketServer.topics()})
     * @param config where Redis is
     * @return the running bridge; {@link #close()} ends it
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now (later outages are
     *                                                   survived)
     */
    public static RedisTopicsBridge start(ChannelTopics topics, RedisBridgeConfig config) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(config, "config");
        RedisTopicsBridge bridge = new RedisTopicsBridge(topics, config);
        try {
            bridge.pubsub.sync().subscribe(bridge.ids.nodeChannel());
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
        topics.setRelay(bridge.relay());
        return bridge;
    }

    /** The relay that {@link ChannelTopics} reports to. */
    private TopicsRelay relay() {
        return new TopicsRelay() {
            @Override
            public void topicOpened(String topic) {
                subscriptions.changed(topic);
            }

            @Override
            public void topicClosed(String topic) {
                subscriptions.changed(topic);
            }

            @Override
            public void published(String topic, MessageType type, ByteBuf payload) {
                publish(topic, type, payload);
            }
        };
    }

    private void publish(String topic, MessageType type, ByteBuf payload) {
        int size = payload.readableBytes();
        if (size > config.maxPayloadBytes()) {
            throw new IllegalArgumentException("a message of " + size + " bytes exceeds the limit of "
                    + config.maxPayloadBytes() + " bytes for topics carried through Redis (maxPayloadBytes)");
        }
        long bytes = size + Envelope.HEADER;
        if (pending.incrementAndGet() > config.maxPendingPublishes()) {
            pending.decrementAndGet();
            losses.lost(config.maxPendingPublishes() + " publishes are waiting for Redis's answer");
            return;
        }
        long before = pendingBytes.getAndAdd(bytes);
        if (before > 0 && before + bytes > config.maxPendingBytes()) {
            settled(bytes);
            losses.lost(before + " bytes of publishes are waiting for Redis's answer");
            return;
        }
        RedisFuture<Long> sent;
        try {
            sent = connection.async().publish(topicPrefix + topic, Envelope.topicMessage(nodeId, type, payload));
        } catch (RuntimeException e) {
            settled(bytes);
            losses.lost(e.toString());
            return;
        }
        sent.whenComplete((receivers, failure) -> {
            settled(bytes);
            if (failure == null) {
                losses.delivered();
            } else {
                losses.lost(failure.toString());
            }
        });
    }

    /** A pending publish of {@code bytes} was answered or given up. */
    private void settled(long bytes) {
        pendingBytes.addAndGet(-bytes);
        pending.decrementAndGet();
    }

    /** On a Lettuce I/O thread, in the order Redis sent them. */
    private void onMessage(String channel, byte[] message) {
        boolean direct = channel.equals(ids.nodeChannel());
        if (!direct && !channel.startsWith(topicPrefix)) {
            return;
        }
        Envelope envelope;
        try {
            envelope = Envelope.read(message);
        } catch (IllegalArgumentException e) {
            malformed.increment();
            if (LOG.isDebugEnabled()) {
                LOG.debug("skipped a message on Redis channel " + channel + ": " + e.getMessage());
            }
            return;
        }
        if (direct) {
            if (envelope.target() != null) {
                ids.received(envelope);
            }
            return;
        }
        if (envelope.node() == nodeId || envelope.target() != null) {
            return; // ours: served locally when published
        }
        received.increment();
        topics.publishLocally(channel.substring(topicPrefix.length()), envelope.type(),
                Unpooled.wrappedBuffer(envelope.payload(), envelope.offset(), envelope.length()));
    }

    // ---------------------------------------------------------------- one connection, wherever it is

    /**
     * Makes {@code channel} reachable as {@code id} from every node ({@link #sendTo}) until it closes or
     * {@link #unbind} is called: recorded here and in Redis ({@code <prefix>id:<id>} = this node, with an expiry
     * of {@link RedisBridgeConfig#idExpiry()} that this node refreshes). One id names one connection: binding it
     * again, here or on another node, takes it over. A user with several connections binds an id per connection
     * (e.g. {@code user:42:tab:1}). Does not wait for Redis.
     *
     * @param id      the id, e.g. a user or session id; at most 65535 UTF-8 bytes
     * @param channel the connection's channel ({@code communicator.unwrap(Channel.class)})
     */
    public void bind(String id, Channel channel) {
        ids.bind(id, channel);
    }

    /**
     * Ends {@code id}'s binding to {@code channel}, here and in Redis.
     *
     * @param id      the id
     * @param channel the channel it was bound to
     * @return false if {@code id} was not bound to {@code channel} here
     */
    public boolean unbind(String id, Channel channel) {
        return ids.unbind(id, channel);
    }

    /**
     * Sends a text message to the connection bound to {@code id} on any node: written at once if it is here,
     * otherwise looked up in Redis and published to its node's channel. Never blocks.
     *
     * @param id   the id
     * @param text the message
     * @return completes with true when the message was written here or a node received it, false when no node
     *         holds {@code id}; fails when Redis could not be asked
     */
    public CompletionStage<Boolean> sendTo(String id, String text) {
        Objects.requireNonNull(text, "text");
        return sendTo(id, MessageType.STRING, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a binary message to the connection bound to {@code id} on any node, as {@link #sendTo(String, String)}.
     *
     * @param id   the id
     * @param data the message; the caller may reuse it when this returns
     * @return as {@link #sendTo(String, String)}
     */
    public CompletionStage<Boolean> sendTo(String id, byte[] data) {
        Objects.requireNonNull(data, "data");
        return sendTo(id, MessageType.BINARY, data);
    }

    private CompletionStage<Boolean> sendTo(String id, MessageType type, byte[] payload) {
        if (payload.length > config.maxPayloadBytes()) {
            throw new IllegalArgumentException("a message of " + payload.length + " bytes exceeds the limit of "
                    + config.maxPayloadBytes() + " bytes for messages carried through Redis (maxPayloadBytes)");
        }
        return ids.send(id, type, payload);
    }

    /** Direct messages that found no connection: an unknown id, or one gone before the message arrived. */
    public long undeliverableMessages() {
        return ids.undeliverable();
    }

    // ---------------------------------------------------------------- state

    /** This node's id, as other nodes see it in the envelopes. */
    public long nodeId() {
        return nodeId;
    }

    /** The Redis channel that carries {@code topic}: the prefix, {@code topic:}, the name. */
    public String channelOf(String topic) {
        return topicPrefix + topic;
    }

    /** Publishes that did not reach Redis (unreachable, too slow, or past the pending bound) since the start. */
    public long lostPublishes() {
        return losses.count();
    }

    /** Publishes sent to Redis and not answered yet. */
    public int pendingPublishes() {
        return pending.get();
    }

    /** Messages from other nodes served to this node's subscribers. */
    public long receivedMessages() {
        return received.sum();
    }

    /** Messages on the bridge's channels that were not envelopes of this version, skipped. */
    public long malformedMessages() {
        return malformed.sum();
    }

    /** Whether both connections to Redis are up now. */
    public boolean isConnected() {
        return connection.isOpen() && pubsub.isOpen();
    }

    /**
     * Stops carrying the topics through Redis (they stay local) and closes the connections; Redis forgets this
     * node's subscriptions with its connection. The ids bound here stay in the registry until their expiry, as
     * after a crash (their connections usually close with the server anyway, each removing its entry). Closing
     * again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        topics.setRelay(null);
        thread.shutdownNow();
        pubsub.close();
        connection.close();
        shutDown();
    }

    private void shutDown() {
        thread.shutdownNow();
        client.shutdown();
        resources.shutdown().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
