package dev.wsnetty.bench.codec;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.ProtocolHandler;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the statistics cost where they are counted: one data frame in and one out through {@link ProtocolHandler}
 * (the handler that counts messages, bytes and Close codes), with the connection's {@link WebSocketStatistics}
 * ({@code on}) and without ({@code off}, a bare pipeline: a null check per frame). Complements the echo
 * benchmark's {@code wsnetty-metrics} server, whose end-to-end figures this shared machine makes noisy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.wsnetty.bench.codec.FastThreadLocalExecutor"})
public class CountingBenchmark {
    /** Whether the connection counts into statistics. */
    @Param({"off", "on"})
    public String statistics;

    /** Payload bytes per frame. */
    @Param({"20"})
    public int size;

    private final WebSocketStatistics counted = new WebSocketStatistics();
    private ByteBuf payload;
    private HandlerHarness harness;

    /** A server's protocol handler, with or without statistics. */
    @Setup
    public void setup() {
        ByteBufAllocator alloc = BenchAllocators.named("pooled");
        payload = alloc.directBuffer(size).writeZero(size);
        harness = HandlerHarness.duplex(new ProtocolHandler(WebSocketConfig.DEFAULT, Role.SERVER), alloc, channel -> {
            if (statistics.equals("on")) {
                channel.attr(WebSocketStatistics.KEY).set(counted);
            }
        });
    }

    /** One frame read (passed on) and one written (with a flush), as an echo does. */
    @Benchmark
    public void frameInAndOut() throws Exception {
        harness.read(WebSocketFrame.binary(payload.retainedDuplicate()));
        harness.writeAndFlush(WebSocketFrame.binary(payload.retainedDuplicate()));
    }

    /** Checks that {@code on} counted, and releases everything. */
    @TearDown
    public void tearDown() {
        long counts = counted.snapshot().messagesIn();
        if (statistics.equals("on") != (counts > 0)) {
            throw new IllegalStateException("statistics " + statistics + " but " + counts + " messages counted");
        }
        harness.close();
        payload.release();
    }
}
