package dev.wsnetty.bench.load;

import dev.wsnetty.bench.Transports;
import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.bench.wire.WireFrames;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fan-out benchmark ({@code LoadGenerator --fanout}): {@code --connections} subscriber connections on
 * {@code /sub}, spread over {@code --sources} loopback source addresses, then one publisher on {@code /pub} that
 * keeps at most {@code --inflight} messages not yet delivered to every subscriber. Measures the messages delivered
 * per second (all subscribers together) and the publish-to-delivery latency (send time stamped in the message, same
 * process); every subscriber checks every byte and that it got every message in order, and at the end that it got
 * as many as were published. With {@code --subscriber-ports} the subscribers connect to several servers in turn
 * (the nodes of a cluster), the publisher to {@code --port}. The server decides what {@code /sub} and {@code /pub}
 * mean; the publisher must not be sent its own messages.
 */
final class FanoutLoad {
    /** Payload bytes of the stamp: the sequence number and the send time, two big-endian longs. */
    static final int STAMP_BYTES = 16;
    /** Handshakes in progress at most: node's default accept backlog is 511. */
    private static final int CONNECTING_AT_ONCE = 256;
    private static final long HANDSHAKES_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final long CLOSE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_ERROR_SAMPLES = 5;

    private FanoutLoad() {
    }

    /** Runs one fan-out run as {@code options} say (see {@link LoadOptions#fanout()}). */
    static LoadResult run(LoadOptions options) throws InterruptedException {
        byte[] payload = Payloads.binary(options.size(), 42);
        ByteBuf template = Unpooled.directBuffer(payload.length).writeBytes(payload);
        ByteBuf close = Unpooled.directBuffer()
                .writeBytes(WireFrames.masked(WireFrames.CLOSE, true, new byte[] {0x03, (byte) 0xE8}, LoadGenerator.MASK));
        FanoutPlan plan = new FanoutPlan(options, WireFrames.BINARY, Unpooled.unreleasableBuffer(template),
                Unpooled.unreleasableBuffer(close), CONNECTING_AT_ONCE);
        FanoutPublisher publisher = new FanoutPublisher(plan,
                WireFrames.masked(WireFrames.BINARY, true, payload, LoadGenerator.MASK));
        plan.publisher = publisher;
        EventLoopGroup group = Transports.newGroup(options.threads(), "fanout");
        List<FanoutSubscriber> subscribers = new ArrayList<>(options.connections());
        List<Channel> channels = new ArrayList<>(options.connections());
        Channel publisherChannel = null;
        long deadline = System.nanoTime() + HANDSHAKES_NANOS;
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(Transports.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true);
            InetSocketAddress server = new InetSocketAddress(options.host(), options.port());
            List<InetSocketAddress> subscriberServers = new ArrayList<>();
            for (int port : options.subscriberPorts()) {
                subscriberServers.add(new InetSocketAddress(options.host(), port));
            }
            if (subscriberServers.isEmpty()) {
                subscriberServers.add(server);
            }
            for (int i = 0; i < options.connections(); i++) {
                if (!plan.connecting.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break; // the handshakes in progress did not end in time: counted as failures below
                }
                FanoutSubscriber subscriber = new FanoutSubscriber(plan);
                subscribers.add(subscriber);
                InetSocketAddress node = subscriberServers.get(i % subscriberServers.size());
                ChannelFuture connect = options.sources() == 1
                        ? bootstrap.clone().handler(subscriber).connect(node)
                        : bootstrap.clone().handler(subscriber).connect(node,
                                new InetSocketAddress("127.0.0." + (1 + i % options.sources()), 0));
                channels.add(connect.channel());
                connect.addListener(f -> {
                    if (!f.isSuccess()) {
                        subscriber.connectFailed(f.cause());
                    }
                });
            }
            plan.subscribed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);

            ChannelFuture connect = bootstrap.clone().handler(publisher).connect(server);
            publisherChannel = connect.channel();
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    plan.publisherReady.countDown();
                }
            });
            plan.publisherReady.await(30, TimeUnit.SECONDS);

            long t0 = System.nanoTime();
            plan.measureStart = t0 + options.warmup().toNanos();
            plan.measureEnd = plan.measureStart + options.duration().toNanos();
            publisherChannel.eventLoop().execute(publisher::start);
            // For run-fanout.sh, which samples both processes' CPU time between these lines.
            sleepUntil(plan.measureStart);
            System.out.println("measuring");
            sleepUntil(plan.measureEnd);
            System.out.println("measured");
            plan.published.await(Math.max(0, plan.measureEnd + DRAIN_NANOS - System.nanoTime()), TimeUnit.NANOSECONDS);

            // The publisher first (so the server still counts the subscribers), then the subscribers.
            publisherChannel.eventLoop().execute(publisher::close);
            publisherChannel.closeFuture().await(5, TimeUnit.SECONDS);
            for (int i = 0; i < channels.size(); i++) {
                channels.get(i).eventLoop().execute(subscribers.get(i)::close);
            }
            long closeDeadline = System.nanoTime() + CLOSE_NANOS;
            for (Channel channel : channels) {
                channel.closeFuture().await(Math.max(0, closeDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            publisherChannel.eventLoop().execute(publisher::abandon);
            for (int i = 0; i < channels.size(); i++) {
                if (channels.get(i).isOpen()) {
                    channels.get(i).eventLoop().execute(subscribers.get(i)::abandon);
                }
            }
            for (Channel channel : channels) {
                channel.closeFuture().await(5, TimeUnit.SECONDS);
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            template.release();
            close.release();
        }
        return result(options, plan, publisher, subscribers);
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static LoadResult result(LoadOptions options, FanoutPlan plan, FanoutPublisher publisher,
                                     List<FanoutSubscriber> subscribers) {
        long delivered = 0;
        int connected = 0;
        int errors = 0;
        List<String> samples = new ArrayList<>();
        if (publisher.failure() != null) {
            errors++;
            samples.add(publisher.failure());
        }
        int missing = options.connections() - subscribers.size();
        if (missing > 0) {
            errors += missing;
            samples.add(missing + " subscribers not connected: the handshakes did not end in time");
        }
        for (FanoutSubscriber s : subscribers) {
            delivered += s.delivered();
            connected += s.handshakeDone() ? 1 : 0;
            String failure = s.failure();
            if (failure == null && s.received() != publisher.sent()) {
                failure = "received " + s.received() + " messages, " + publisher.sent() + " were published";
            }
            if (failure != null) {
                errors++;
                if (samples.size() < MAX_ERROR_SAMPLES) {
                    samples.add(failure);
                }
            }
        }
        return new LoadResult(Transports.name(), options, connected, delivered, options.duration().toNanos() / 1e9,
                plan.latencies(), errors, samples, publisher.sent());
    }
}
