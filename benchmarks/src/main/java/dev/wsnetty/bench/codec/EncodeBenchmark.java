package dev.wsnetty.bench.codec;

import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.bench.wire.WireFrames;
import dev.wsnetty.netty.codec.FrameEncoder;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
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
 * Encoding one binary frame: Netty's {@link WebSocket08FrameEncoder} against our {@link FrameEncoder},
 * as the server (unmasked) and as the client (masked, a new key per frame), both through the same
 * {@link HandlerHarness} with the void promise.
 *
 * <p>Each operation first fills a fresh payload buffer from the allocator, as an application would
 * (an encoder may mask a payload it owns in place, so it cannot be shared). That is the same for both
 * and measured alone by {@link #payloadCopyBaseline()}. Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.wsnetty.bench.codec.FastThreadLocalExecutor"})
public class EncodeBenchmark {
    /** Payload bytes per frame. */
    @Param({"0", "8", "125", "126", "1024", "16384", "65536"})
    public int size;

    /** Which end encodes: SERVER sends unmasked frames, CLIENT masked ones. */
    @Param({"SERVER", "CLIENT"})
    public Role role;

    /** Allocator name, see {@link BenchAllocators#named(String)}. */
    @Param({"pooled"})
    public String allocator;

    private ByteBufAllocator alloc;
    private byte[] payload;
    private ByteBuf template;
    private HandlerHarness netty;
    private HandlerHarness ours;

    /** Builds both encoders and checks once that each writes the right frame. */
    @Setup
    public void setup() throws Exception {
        alloc = BenchAllocators.named(allocator);
        payload = Payloads.binary(size, size);
        template = alloc.directBuffer(size).writeBytes(payload);
        netty = HandlerHarness.outbound(new WebSocket08FrameEncoder(role == Role.CLIENT), alloc);
        ours = HandlerHarness.outbound(new FrameEncoder(role), alloc);
        netty.startCapture();
        netty.write(new BinaryWebSocketFrame(payload()));
        String nettyProblem = FrameChecks.encoded(netty.takeCaptured(), WireFrames.BINARY, role == Role.CLIENT, payload);
        if (nettyProblem != null) {
            throw new IllegalStateException("Netty's encoder: " + nettyProblem);
        }
        ours.startCapture();
        ours.write(WebSocketFrame.binary(payload()));
        String oursProblem = FrameChecks.encoded(ours.takeCaptured(), WireFrames.BINARY, role == Role.CLIENT, payload);
        if (oursProblem != null) {
            System.err.println("WARNING: our FrameEncoder: " + oursProblem + "; the ours score is meaningless");
        }
    }

    /** Closes both harnesses and frees the template. */
    @TearDown
    public void tearDown() {
        netty.close();
        ours.close();
        template.release();
    }

    /** The cost included in both encoders' scores: a fresh payload buffer, then its release. */
    @Benchmark
    public int payloadCopyBaseline() {
        ByteBuf p = payload();
        int n = p.readableBytes();
        p.release();
        return n;
    }

    /** Netty's built-in encoder. */
    @Benchmark
    public void netty() throws Exception {
        netty.write(new BinaryWebSocketFrame(payload()));
    }

    /** Our encoder. */
    @Benchmark
    public void ours() throws Exception {
        ours.write(WebSocketFrame.binary(payload()));
    }

    private ByteBuf payload() {
        return alloc.directBuffer(size).writeBytes(template, 0, size);
    }
}
