package dev.wsnetty.bench.fanout;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.topics.ChannelTopics;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * What one {@code ChannelTopics.publish} call costs the publisher's thread at several subscriber counts, with the
 * same number of calls at each count and the same compiled code: the fan-out benchmark's own timing makes ~40,000
 * calls/s at 100 subscribers but only a few hundred at 10,000, so its figures mix the subscriber count with
 * compilation and cache warmth.
 *
 * <p>One JVM, one event loop. First {@code --warmup-calls} publishes to 100 subscribers (the publish path gets
 * compiled), then for each count given, ascending: that many subscribed channels and {@code --calls} timed publish
 * calls, each one's wall time and the publisher thread's CPU time recorded ({@link PublishCost}'s line per count).
 * The subscribers are real channels with the server's frame handlers ({@code WebSocketPipeline.addFrameHandlers}),
 * on Netty's in-JVM local transport so that 10,000 of them fit in one process without file descriptors; their peers
 * count the bytes they receive. Before each call the publisher waits, outside the timing, until the previous
 * message reached every subscriber: each call finds the loop idle, as on a quiet server, and pays for waking it.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.fanout.PublishCallCost [--warmup-calls 20000] [--calls 2000] [--size 20] 100 1000 10000</pre>
 */
public final class PublishCallCost {
    private static final String TOPIC = "feed";
    private static final long DELIVERY_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final AtomicLong receivedBytes = new AtomicLong();
    private final byte[] message;
    private final long frameBytes;
    private long expectedBytes;

    private PublishCallCost(int size) {
        message = new byte[size];
        frameBytes = 2 + size; // an unmasked frame under 126 bytes has a 2-byte header
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) throws InterruptedException {
        int warmupCalls = 20_000;
        int calls = 2_000;
        int size = 20;
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup-calls" -> warmupCalls = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                default -> counts.add(Integer.parseInt(args[i]));
            }
        }
        if (counts.isEmpty()) {
            counts = List.of(100, 1_000, 10_000);
        }
        if (size > 125) {
            throw new IllegalArgumentException("--size must be at most 125 (one frame header size), not " + size);
        }
        PublishCallCost run = new PublishCallCost(size);
        try {
            run.publishCalls(100, warmupCalls, null);
            for (int subscribers : counts) {
                PublishCost cost = new PublishCost(0);
                cost.publisherOpened();
                run.publishCalls(subscribers, calls, cost);
                cost.print(subscribers);
            }
        } finally {
            run.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Connects {@code subscribers} channels, publishes {@code calls} messages to them, recording into {@code cost}. */
    private void publishCalls(int subscribers, int calls, PublishCost cost) throws InterruptedException {
        List<Channel> serverSides = new CopyOnWriteArrayList<>();
        List<Channel> clientSides = new ArrayList<>();
        LocalAddress address = new LocalAddress("publish-call-cost-" + subscribers);
        Channel server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        WebSocketPipeline.addFrameHandlers(ch.pipeline(), WebSocketConfig.DEFAULT, Role.SERVER);
                        serverSides.add(ch);
                    }
                })
                .bind(address).sync().channel();
        Bootstrap client = new Bootstrap().group(loop).channel(LocalChannel.class).handler(new ByteCounter());
        for (int i = 0; i < subscribers; i++) {
            clientSides.add(client.connect(address).sync().channel());
        }
        awaitCondition(() -> serverSides.size() == subscribers, "every subscriber accepted");
        ChannelTopics topics = new ChannelTopics();
        for (Channel channel : serverSides) {
            topics.subscribe(channel, TOPIC);
        }
        for (int i = 0; i < calls; i++) {
            awaitCondition(() -> receivedBytes.get() == expectedBytes, "the previous message delivered to all");
            expectedBytes += subscribers * frameBytes;
            long cpuStart = PublishCost.cpuNow();
            long start = System.nanoTime();
            topics.publish(TOPIC, message);
            long end = System.nanoTime();
            long cpuEnd = PublishCost.cpuNow();
            if (cost != null) {
                cost.record(start, end, cpuStart, cpuEnd);
            }
        }
        awaitCondition(() -> receivedBytes.get() == expectedBytes, "the last message delivered to all");
        for (Channel channel : clientSides) {
            channel.close().sync();
        }
        server.close().sync();
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DELIVERY_DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not reached within 30 s: " + what);
            }
            LockSupport.parkNanos(20_000); // leaves the cores to the loop that delivers
        }
    }

    /** A subscriber's peer: counts and frees what arrives. */
    @ChannelHandler.Sharable
    private final class ByteCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            receivedBytes.addAndGet(bytes.readableBytes());
            bytes.release();
        }
    }
}
