package dev.wsnetty.bench.codec;

import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.bench.wire.WireFrames;
import dev.wsnetty.netty.codec.FrameEncoder;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Encoding one binary frame: Netty's {@link WebSocket08FrameEncoder} against our {@link FrameEncoder},
 * as the server (unmasked) and as the client (masked, a new key per frame), both through the same
 * {@link HandlerHarness} with the void promise, each frame followed by a flush.
 *
 * <p>Each side has one frame, with its payload in a pooled direct buffer, that every operation lends to
 * the encoder (one more reference, which the encoder releases, and the reader index reset, which Netty's
 * encoder moves). Neither encoder modifies the payload, which {@link #setup()} checks, so the frame need
 * not be rebuilt per operation: earlier versions allocated a new payload buffer and frame object per
 * operation, which cost as much as either encoder's own work on small frames and hid their difference,
 * and made B/op the harness's frame object (24 B) on both sides. What lending costs is measured alone
 * by {@link #payloadCopyBaseline()}. Run with {@code -prof gc} for B/op.
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

    private byte[] payload;
    private BinaryWebSocketFrame nettyFrame;
    private WebSocketFrame ourFrame;
    private HandlerHarness netty;
    private HandlerHarness ours;

    /** Builds both encoders and their frames, and checks once that each writes the right frame. */
    @Setup
    public void setup() throws Exception {
        ByteBufAllocator alloc = BenchAllocators.named(allocator);
        payload = Payloads.binary(size, size);
        nettyFrame = new BinaryWebSocketFrame(alloc.directBuffer(size).writeBytes(payload));
        ourFrame = WebSocketFrame.binary(alloc.directBuffer(size).writeBytes(payload));
        netty = HandlerHarness.outbound(new WebSocket08FrameEncoder(role == Role.CLIENT), alloc);
        ours = HandlerHarness.outbound(new FrameEncoder(role), alloc);
        String nettyProblem = check(netty, nettyFrame);
        if (nettyProblem != null) {
            throw new IllegalStateException("Netty's encoder: " + nettyProblem);
        }
        String oursProblem = check(ours, ourFrame);
        if (oursProblem != null) {
            System.err.println("WARNING: our FrameEncoder: " + oursProblem + "; the ours score is meaningless");
        }
    }

    /** Encodes the frame once and says what is wrong with the output or with the frame left behind, or {@code null}. */
    private String check(HandlerHarness harness, ByteBufHolder frame) throws Exception {
        harness.startCapture();
        harness.writeAndFlush(lend(frame));
        String problem = FrameChecks.encoded(harness.takeCaptured(), WireFrames.BINARY, role == Role.CLIENT, payload);
        if (problem == null && frame.refCnt() != 1) {
            problem = "the frame's reference count is " + frame.refCnt() + " after the write, not 1";
        }
        if (problem == null && !Arrays.equals(ByteBufUtil.getBytes(frame.content(), 0, size), payload)) {
            problem = "the encoder modified the payload, which therefore cannot be lent again";
        }
        return problem;
    }

    /** Closes both harnesses and frees the frames. */
    @TearDown
    public void tearDown() {
        netty.close();
        ours.close();
        nettyFrame.release();
        ourFrame.release();
    }

    /** The cost included in both encoders' scores: lending a frame, then its release. */
    @Benchmark
    public int payloadCopyBaseline() {
        ByteBufHolder frame = lend(ourFrame);
        int n = frame.content().readableBytes();
        frame.release();
        return n;
    }

    /** Netty's built-in encoder. */
    @Benchmark
    public void netty() throws Exception {
        netty.writeAndFlush(lend(nettyFrame));
    }

    /** Our encoder. */
    @Benchmark
    public void ours() throws Exception {
        ours.writeAndFlush(lend(ourFrame));
    }

    /** {@code frame} with its payload readable from the start and one more reference, for the encoder to release. */
    private static ByteBufHolder lend(ByteBufHolder frame) {
        frame.content().readerIndex(0);
        return frame.retain();
    }
}
