package dev.wsnetty.netty.topics;

import dev.wsnetty.MessageType;
import dev.wsnetty.Topics;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.codec.EncodedFrame;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.ProtocolHandler;
import dev.wsnetty.spi.TopicMembership;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Topics for Netty channels that carry wsnetty's server pipeline: subscribe channels to named topics, publish a
 * message once to all of them. The {@code WebSocketServer} has one ({@code server.topics()}) that its
 * communicators use; an application with its own pipeline makes one and calls {@link #subscribe(Channel, String)}
 * from its handlers.
 *
 * <p><b>Publishing</b> encodes the message once into one frame buffer (header and payload), hands a reference to
 * each event loop that has subscribers of the topic, and returns: its cost on the publisher's thread does not
 * grow with the number of subscribers. Each loop writes the frame to its subscribers, every channel getting its
 * own view of the shared buffer ({@link EncodedFrame}), and flushes each channel once for all the messages it
 * wrote in that pass. Publishing to a topic without subscribers does nothing.
 *
 * <p><b>Order</b>: joins, leaves and publications go through one queue per event loop, so a subscriber sees the
 * messages of one publisher in the order published, and a subscription made (or ended) before a publish call
 * starts is (or is not) served that message.
 *
 * <p><b>Slow subscribers</b>: before writing a topic message to a channel, the loop looks at the bytes already
 * queued in the channel's outbound buffer (when they pass the bound, it first flushes what it wrote to the channel in
 * this pass, so that the socket takes what it can). Past {@link TopicsConfig#maxQueuedBytes()} (a message always goes
 * to an empty queue), {@link SlowSubscriberAction#CLOSE} fails the connection with the configured code and a reason
 * that gives the bound, through its {@link ProtocolHandler} (the Close goes behind what is queued, TCP closes once
 * it is written or after the close timeout); {@link SlowSubscriberAction#DROP} skips the message for that channel
 * and counts it. Neither holds up the publisher or the other subscribers.
 *
 * <p><b>Memory</b>: a topic exists only while it has subscribers. A channel that joined anything carries one
 * {@code Subscriber} (a channel attribute with its close listener and topic list) until it closes; each further
 * subscription adds a slot in the topic's set on that loop (4 to 8 bytes, the set stays at most half full) and one
 * in the channel's list. Measured at 10,000 connections (JDK 17 and 25): the first subscription of a connection
 * 150 bytes, each further one 19 bytes, a connection in 10 topics 325 bytes; 194 bytes stay with a connection that
 * left all its topics, until it closes (BENCHMARKS.md, "Memory per subscription").
 *
 * <p><b>Beyond this process</b>: a {@link TopicsRelay} ({@link #setRelay}) learns when a topic gets its first
 * and loses its last subscriber, and sees every message published here; what it brings from elsewhere goes to the
 * local subscribers through {@link #publishLocally}, which does not relay it again.
 *
 * <p>Every method is thread-safe. Frames go to channels whose pipeline has wsnetty's server {@code FrameEncoder};
 * a client channel (which must mask) refuses them.
 */
public final class ChannelTopics implements Topics {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final AttributeKey<Subscriber> key =
            AttributeKey.newInstance("wsnetty.topics." + INSTANCES.incrementAndGet());
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    /** The group of every registered channel, for {@link #publishToAll}; never removed. */
    private final Topic everyone = new Topic(null);
    private final ConcurrentHashMap<EventLoop, LoopFanout> loops = new ConcurrentHashMap<>();
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder slowClosed = new LongAdder();
    private final LoopFanout.Delivery delivery = this::deliver;
    private volatile TopicsConfig config;
    /** Where topics and publications are reported beyond this process; null when nowhere. */
    private volatile TopicsRelay relay;
    /** Whether {@link #publishToAll} was ever called; until then a deferring registry registers nobody. */
    private volatile boolean everyoneInUse;
    /** Where the channels come from that were not registered while registration was deferred; null when not. */
    private volatile Supplier<? extends Iterable<Channel>> deferredChannels;

    /** Topics with {@link TopicsConfig#DEFAULT}. */
    public ChannelTopics() {
        this(TopicsConfig.DEFAULT);
    }

    /**
     * Topics with the given slow-subscriber policy.
     *
     * @param config the policy
     */
    public ChannelTopics(TopicsConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Replaces the slow-subscriber policy; it applies to the messages delivered from now on.
     *
     * @param config the policy
     */
    public void setConfig(TopicsConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The slow-subscriber policy. */
    public TopicsConfig config() {
        return config;
    }

    /**
     * Reports topics and publications to {@code relay} from now on, in place of the relay set before. A relay set
     * while topics have subscribers is not told of them: it reads them from its own list or sets itself before
     * the first subscription.
     *
     * @param relay the relay, or null for none
     */
    public void setRelay(TopicsRelay relay) {
        this.relay = relay;
    }

    // ---------------------------------------------------------------- membership

    /**
     * Subscribes {@code channel} to {@code topic} until {@link #unsubscribe} or the channel closes.
     *
     * @param channel a server channel with wsnetty's frame pipeline
     * @param topic   the topic's name, not empty
     * @return true if it was not subscribed before; false also for a channel that has closed
     */
    public boolean subscribe(Channel channel, String topic) {
        checkName(topic);
        Subscriber s = subscriber(channel, true);
        if (s == null) {
            return false;
        }
        Topic t = acquire(topic);
        if (s.join(t)) {
            return true;
        }
        release(t);
        return false;
    }

    /**
     * Ends the subscription of {@code channel} to {@code topic}: messages published after this returns are not
     * written to it.
     *
     * @param channel the channel
     * @param topic   the topic's name
     * @return true if it was subscribed
     */
    public boolean unsubscribe(Channel channel, String topic) {
        checkName(topic);
        Subscriber s = subscriber(channel, false);
        Topic left = s == null ? null : s.leave(topic);
        if (left == null) {
            return false;
        }
        release(left);
        return true;
    }

    /**
     * The topics {@code channel} is subscribed to, a snapshot (empty once it closed).
     *
     * @param channel the channel
     */
    public Set<String> subscriptions(Channel channel) {
        Subscriber s = subscriber(channel, false);
        return s == null ? Collections.emptySet() : s.names();
    }

    /**
     * Adds {@code channel} to the connections {@link #publishToAll} reaches, until it closes. The
     * {@code WebSocketServer} registers every connection it upgrades.
     *
     * @param channel a server channel with wsnetty's frame pipeline
     * @return true if it was not registered before
     */
    public boolean register(Channel channel) {
        if (deferredChannels != null && !everyoneInUse) {
            return false; // the first publishToAll registers it, if it is still open then
        }
        Subscriber s = subscriber(channel, true);
        return s != null && s.joinEveryone(everyone);
    }

    /**
     * Makes {@link #register} free until {@link #publishToAll} is first called, for servers where most never call
     * it: a registered channel costs a membership (about 100 bytes). The first {@code publishToAll} then registers
     * every channel {@code channels} gives (once, on its caller's thread) before it publishes, and
     * {@code register} registers at once from then on. The owner of the channels must call {@code register} for
     * a new channel after it appears in {@code channels}, so that no channel is missed. The
     * {@code WebSocketServer} does this with its upgraded connections.
     *
     * @param channels every channel that {@code register} was called for and is still open
     */
    public void deferRegistration(Supplier<? extends Iterable<Channel>> channels) {
        this.deferredChannels = Objects.requireNonNull(channels, "channels");
    }

    /**
     * {@code channel}'s side of these topics, for a blocking transport's communicator.
     *
     * @param channel the channel
     */
    public TopicMembership membership(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        return new ChannelMembership(this, channel);
    }

    // ---------------------------------------------------------------- publishing

    @Override
    public void publish(String topic, String text) {
        Objects.requireNonNull(text, "text");
        checkName(topic);
        if (relay != null || topics.containsKey(topic)) {
            publishFrame(topic, MessageType.STRING, EncodedFrame.encodeText(alloc, text));
        }
    }

    @Override
    public void publish(String topic, byte[] data) {
        Objects.requireNonNull(data, "data");
        checkName(topic);
        if (relay != null || topics.containsKey(topic)) {
            publishFrame(topic, MessageType.BINARY,
                    EncodedFrame.encode(alloc, WebSocketProtocol.OPCODE_BINARY, data, 0, data.length));
        }
    }

    /**
     * Sends a message to every subscriber of {@code topic}; the pipeline API's form, from a buffer.
     *
     * @param topic   the topic's name
     * @param type    {@link MessageType#STRING} (the payload must be valid UTF-8) or {@link MessageType#BINARY}
     * @param payload the message's readable bytes, copied once into the shared frame; the caller keeps the buffer
     */
    public void publish(String topic, MessageType type, ByteBuf payload) {
        Objects.requireNonNull(payload, "payload");
        int opcode = dataOpcode(type);
        checkName(topic);
        if (relay != null || topics.containsKey(topic)) {
            publishFrame(topic, type, EncodedFrame.encode(alloc, opcode, payload));
        }
    }

    /**
     * Sends a message to the subscribers of {@code topic} in this process only, without reporting it to the
     * {@link TopicsRelay}: the relay's way of delivering what it received from elsewhere.
     *
     * @param topic   the topic's name
     * @param type    {@link MessageType#STRING} (the payload must be valid UTF-8) or {@link MessageType#BINARY}
     * @param payload the message's readable bytes, copied once into the shared frame; the caller keeps the buffer
     */
    public void publishLocally(String topic, MessageType type, ByteBuf payload) {
        Objects.requireNonNull(payload, "payload");
        int opcode = dataOpcode(type);
        Topic t = topics.get(checkName(topic));
        if (t != null) {
            send(t, EncodedFrame.encode(alloc, opcode, payload));
        }
    }

    @Override
    public void publishToAll(String text) {
        Objects.requireNonNull(text, "text");
        send(allChannels(), EncodedFrame.encodeText(alloc, text));
    }

    @Override
    public void publishToAll(byte[] data) {
        Objects.requireNonNull(data, "data");
        send(allChannels(), EncodedFrame.encode(alloc, WebSocketProtocol.OPCODE_BINARY, data, 0, data.length));
    }

    /**
     * Sends a message to every registered channel; the pipeline API's form, from a buffer.
     *
     * @param type    {@link MessageType#STRING} or {@link MessageType#BINARY}
     * @param payload the message's readable bytes, copied once; the caller keeps the buffer
     */
    public void publishToAll(MessageType type, ByteBuf payload) {
        Objects.requireNonNull(payload, "payload");
        send(allChannels(), EncodedFrame.encode(alloc, dataOpcode(type), payload));
    }

    // ---------------------------------------------------------------- counts

    @Override
    public int subscriberCount(String topic) {
        Topic t = topics.get(checkName(topic));
        return t == null ? 0 : t.subscribers;
    }

    /** Subscriptions to all topics together (a channel in two counts twice); sums the topics: not per message. */
    public long subscriptionCount() {
        long sum = 0;
        for (Topic t : topics.values()) {
            sum += t.subscribers;
        }
        return sum;
    }

    /** How many topics have subscribers. */
    public int topicCount() {
        return topics.size();
    }

    /** Messages not written to a subscriber by the {@link SlowSubscriberAction#DROP} policy, all channels together. */
    public long droppedMessages() {
        return dropped.sum();
    }

    /**
     * Messages not written to {@code channel} by the {@link SlowSubscriberAction#DROP} policy.
     *
     * @param channel the channel
     */
    public long droppedMessages(Channel channel) {
        Subscriber s = subscriber(channel, false);
        return s == null ? 0 : s.dropped;
    }

    /** Connections closed by the {@link SlowSubscriberAction#CLOSE} policy. */
    public long slowSubscribersClosed() {
        return slowClosed.sum();
    }

    // ---------------------------------------------------------------- internals

    /** The group of every registered channel, for publishing: registers the deferred ones first, on first use. */
    private Topic allChannels() {
        if (!everyoneInUse) {
            registerDeferred();
        }
        return everyone;
    }

    private synchronized void registerDeferred() {
        if (everyoneInUse) {
            return;
        }
        // Set first: a channel registering from now on joins at once; one that registered before is in the list.
        everyoneInUse = true;
        Supplier<? extends Iterable<Channel>> channels = deferredChannels;
        if (channels != null) {
            for (Channel channel : channels.get()) {
                register(channel);
            }
        }
    }

    /** The group of every registered channel. */
    Topic everyone() {
        return everyone;
    }

    /** Topics a closed channel left. */
    void released(List<Topic> left) {
        for (Topic t : left) {
            release(t);
        }
    }

    /**
     * Reports {@code frame}'s message to the relay, if any, then sends it to the local subscribers; releases the
     * caller's reference, also when the relay refuses the message.
     */
    private void publishFrame(String topic, MessageType type, ByteBuf frame) {
        try {
            TopicsRelay r = relay;
            if (r != null) {
                r.published(topic, type, payloadOf(frame));
            }
            Topic t = topics.get(topic);
            if (t != null) {
                send(t, frame);
                frame = null;
            }
        } finally {
            if (frame != null) {
                frame.release();
            }
        }
    }

    /** The payload of an unmasked frame that {@link EncodedFrame} made: a slice past its 2, 4 or 10 byte header. */
    private static ByteBuf payloadOf(ByteBuf frame) {
        int length7 = frame.getByte(frame.readerIndex() + 1) & 0x7F;
        int header = length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
        return frame.slice(frame.readerIndex() + header, frame.readableBytes() - header);
    }

    /** Hands {@code frame} to every loop with subscribers of {@code t}; releases the caller's reference. */
    private void send(Topic t, ByteBuf frame) {
        try {
            for (TopicShard shard : t.shards()) {
                if (shard != null && shard.hasMembers()) {
                    shard.loop.publish(shard, frame.retain());
                }
            }
        } finally {
            frame.release();
        }
    }

    /** On the subscriber's loop: writes the frame, or applies the policy when its queue is past the bound. */
    private boolean deliver(Subscriber s, ByteBuf frame) {
        if (s.failed) {
            return false;
        }
        Channel channel = s.channel;
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        if (queue == null) {
            return false; // closed; its leave is on the way
        }
        long queued = queue.totalPendingWriteBytes();
        TopicsConfig policy = config;
        if (queued > 0 && queued + frame.readableBytes() > policy.maxQueuedBytes()) {
            // What this pass wrote is not flushed yet: offer it to the socket before judging the subscriber.
            channel.flush();
            queued = queue.totalPendingWriteBytes();
        }
        if (queued > 0 && queued + frame.readableBytes() > policy.maxQueuedBytes()) {
            tooSlow(s, queued, policy);
            return false;
        }
        // The void promise: a subscriber that is closing refuses it silently (ProtocolHandler), a broken one fails.
        channel.write(new EncodedFrame(frame.retainedDuplicate()), channel.voidPromise());
        return true;
    }

    private void tooSlow(Subscriber s, long queued, TopicsConfig policy) {
        if (policy.slowSubscriberAction() == SlowSubscriberAction.DROP) {
            s.dropped++;
            dropped.increment();
            return;
        }
        s.failed = true;
        slowClosed.increment();
        int code = policy.slowSubscriberCloseCode();
        String reason = "too slow: " + queued + " bytes were queued, the bound is " + policy.maxQueuedBytes();
        Channel channel = s.channel;
        ProtocolHandler protocol = channel.pipeline().get(ProtocolHandler.class);
        if (protocol != null) {
            protocol.fail(code, reason);
        } else {
            channel.writeAndFlush(WebSocketFrame.close(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The channel's subscriber, made if {@code create} (null for a closed channel then). */
    private Subscriber subscriber(Channel channel, boolean create) {
        Attribute<Subscriber> attr = channel.attr(key);
        Subscriber s = attr.get();
        if (s != null || !create) {
            return s;
        }
        Subscriber made = new Subscriber(this, channel, loopOf(channel.eventLoop()));
        s = attr.setIfAbsent(made);
        if (s != null) {
            return s;
        }
        // Runs at once (leaving nothing yet) if the channel has closed already; joins after it are refused.
        channel.closeFuture().addListener(made);
        return made;
    }

    private LoopFanout loopOf(EventLoop loop) {
        LoopFanout f = loops.get(loop);
        if (f != null) {
            return f;
        }
        synchronized (loops) {
            return loops.computeIfAbsent(loop, l -> new LoopFanout(l, loops.size(), delivery));
        }
    }

    private Topic acquire(String name) {
        boolean[] opened = new boolean[1];
        Topic acquired = topics.compute(name, (n, t) -> {
            Topic topic = t;
            if (topic == null) {
                topic = new Topic(n);
                opened[0] = true;
            }
            topic.subscribers++;
            return topic;
        });
        TopicsRelay r = relay;
        if (opened[0] && r != null) {
            r.topicOpened(name); // outside compute: the relay's work does not hold the map's bin lock
        }
        return acquired;
    }

    private void release(Topic t) {
        boolean[] closed = new boolean[1];
        topics.computeIfPresent(t.name, (n, current) -> {
            if (current != t) {
                return current;
            }
            closed[0] = --current.subscribers == 0;
            return closed[0] ? null : current;
        });
        TopicsRelay r = relay;
        if (closed[0] && r != null) {
            r.topicClosed(t.name);
        }
    }

    private static String checkName(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("a topic's name must not be empty");
        }
        return topic;
    }

    private static int dataOpcode(MessageType type) {
        Objects.requireNonNull(type, "type");
        if (type != MessageType.STRING && type != MessageType.BINARY) {
            throw new IllegalArgumentException("only STRING and BINARY messages can be published, not " + type);
        }
        return type.opcode();
    }
}
