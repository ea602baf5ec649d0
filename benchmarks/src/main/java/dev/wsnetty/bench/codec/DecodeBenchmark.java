package dev.wsnetty.bench.codec;

import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.bench.wire.WireFrames;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.FrameDecoder;
import dev.wsnetty.netty.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
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
 * Server-side decoding of one masked binary frame: Netty's {@link WebSocket08FrameDecoder} against our
 * {@link FrameDecoder}, both through the same {@link HandlerHarness}.
 *
 * <p>Each operation first refills one input buffer (pooled, direct, as a socket read delivers) with the
 * masked wire frame, since a decoder may unmask in place, and lends it to the decoder, which releases
 * it. The refill is the same for both and is measured alone by {@link #inputCopyBaseline()}. Earlier
 * versions allocated a new input buffer per operation: the allocation cost more than either decoder's
 * own work on small frames and so hid their difference. Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.wsnetty.bench.codec.FastThreadLocalExecutor"})
public class DecodeBenchmark {
    private static final int MASK = 0x37FA213D;

    /** Payload bytes per frame. */
    @Param({"0", "8", "125", "126", "1024", "16384", "65536"})
    public int size;

    /** Allocator name, see {@link BenchAllocators#named(String)}. */
    @Param({"pooled"})
    public String allocator;

    private ByteBufAllocator alloc;
    private byte[] payload;
    private ByteBuf wire;
    private ByteBuf input;
    private HandlerHarness netty;
    private HandlerHarness ours;

    /** Builds the wire frame and both decoders, and checks once that each decodes it correctly. */
    @Setup
    public void setup() throws Exception {
        alloc = BenchAllocators.named(allocator);
        payload = Payloads.binary(size, size);
        byte[] frame = WireFrames.masked(WireFrames.BINARY, true, payload, MASK);
        wire = alloc.directBuffer(frame.length).writeBytes(frame);
        input = alloc.directBuffer(frame.length);
        netty = HandlerHarness.inbound(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .maxFramePayloadLength(WebSocketConfig.DEFAULT.maxFrameSize())
                .build()), alloc);
        ours = HandlerHarness.inbound(new FrameDecoder(WebSocketConfig.DEFAULT, Role.SERVER), alloc);
        String nettyProblem = check(netty);
        if (nettyProblem != null) {
            throw new IllegalStateException("Netty's decoder: " + nettyProblem);
        }
        String oursProblem = check(ours);
        if (oursProblem != null) {
            System.err.println("WARNING: our FrameDecoder: " + oursProblem + "; the ours score is meaningless");
        }
    }

    /** Decodes the frame once and says what is wrong with the result, or {@code null}. */
    String check(HandlerHarness harness) throws Exception {
        harness.startCapture();
        harness.read(input());
        return FrameChecks.decoded(harness.takeCaptured(), WireFrames.BINARY, payload);
    }

    /** Closes both harnesses and frees the wire frame. */
    @TearDown
    public void tearDown() {
        netty.close();
        ours.close();
        wire.release();
        input.release();
    }

    /** The cost included in both decoders' scores: refilling the input buffer, then its release. */
    @Benchmark
    public int inputCopyBaseline() {
        ByteBuf in = input();
        int n = in.readableBytes();
        in.release();
        return n;
    }

    /** Netty's built-in decoder. */
    @Benchmark
    public void netty() throws Exception {
        netty.read(input());
    }

    /** Our decoder. */
    @Benchmark
    public void ours() throws Exception {
        ours.read(input());
    }

    /** The input buffer holding the masked frame, with one more reference: the decoder releases it. */
    private ByteBuf input() {
        int n = wire.readableBytes();
        return input.clear().writeBytes(wire, wire.readerIndex(), n).retain();
    }
}
