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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What one {@code ChannelTopics.publish} call costs the publisher's thread, at 100, 1,000 and 10,000 subscribed
 * channels, with the same number of calls at each count (the fan-out benchmark's own timing makes ~40,000 calls/s
 * at 100 subscribers but only a few hundred at 10,000, so its figures mix the subscriber count with compilation and
 * cache warmth).
 *
 * <p>The subscribers are real channels with the server's frame handlers ({@code WebSocketPipeline.addFrameHandlers}),
 * on Netty's in-JVM local transport so that 10,000 of them fit in one process without file descriptors; their peers
 * count the bytes they receive. Before each call the benchmark waits, outside the timing, until the previous message
 * has reached every subscriber: each call then finds the event loop idle, as a publisher on a quiet server does,
 * and pays for waking it. The score is the call alone; the fan-out runs on the loop's thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PublishCallBenchmark {
    private static final String TOPIC = "feed";
    private static final long DELIVERY_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Subscribed channels. */
    @Param({"100", "1000", "10000"})
    public int subscribers;

    /** Message payload, bytes. */
    @Param({"20"})
    public int size;

    private final AtomicLong receivedBytes = new AtomicLong();
    private final List<Channel> serverSides = new CopyOnWriteArrayList<>();
    private final List<Channel> clientSides = new ArrayList<>();
    private EventLoopGroup loop;
    private Channel server;
    private ChannelTopics topics;
    private byte[] message;
    private long frameBytes;
    private long expectedBytes;

    /** Connects the subscribers and subscribes their server sides. */
    @Setup(Level.Trial)
    public void connect() throws InterruptedException {
        loop = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        LocalAddress address = new LocalAddress("publish-call-benchmark");
        server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
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
        topics = new ChannelTopics();
        for (Channel channel : serverSides) {
            topics.subscribe(channel, TOPIC);
        }
        message = new byte[size];
        frameBytes = 2 + size; // header of an unmasked frame under 126 bytes
    }

    /** Waits until the previous message reached every subscriber: the next call finds the loop idle. */
    @Setup(Level.Invocation)
    public void awaitPreviousDelivery() {
        awaitCondition(() -> receivedBytes.get() == expectedBytes, "the previous message delivered to all");
    }

    /** One publish call. */
    @Benchmark
    public void publish() {
        expectedBytes += subscribers * frameBytes;
        topics.publish(TOPIC, message);
    }

    /** Closes every channel and the loop. */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        for (Channel channel : clientSides) {
            channel.close().sync();
        }
        server.close().sync();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DELIVERY_DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not reached within 30 s: " + what);
            }
            Thread.onSpinWait();
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
