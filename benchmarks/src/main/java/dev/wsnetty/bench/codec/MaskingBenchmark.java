package dev.wsnetty.bench.codec;

import dev.wsnetty.bench.wire.Payloads;
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
 * The masking kernel alone, in place on a pooled direct (the socket case) or heap buffer: ours
 * ({@link OurKernels#maskInPlace}) against Netty's loop ({@link NettyStyleMasking}) and against a plain
 * copy of the same number of bytes between two buffers of the same kind, which reads and writes as much
 * memory and so is the bandwidth ceiling.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.wsnetty.bench.codec.FastThreadLocalExecutor"})
public class MaskingBenchmark {
    private static final int MASK = 0x37FA213D;

    /** Bytes masked (or copied) per operation. */
    @Param({"8", "125", "1024", "16384", "65536"})
    public int size;

    /** Allocator name, see {@link BenchAllocators#named(String)}. */
    @Param({"pooled"})
    public String allocator;

    /** {@code direct} or {@code heap} buffers. */
    @Param({"direct", "heap"})
    public String memory;

    private ByteBuf source;
    private ByteBuf target;

    /** Fills the buffers and checks once that both kernels mask like the RFC says. */
    @Setup
    public void setup() {
        ByteBufAllocator alloc = BenchAllocators.named(allocator);
        byte[] bytes = Payloads.binary(size, 7);
        source = buffer(alloc, size).writeBytes(bytes);
        target = buffer(alloc, size).writeBytes(bytes);
        byte[] expected = bytes.clone();
        for (int i = 0; i < expected.length; i++) {
            expected[i] ^= (byte) (MASK >>> (24 - ((i & 3) << 3)));
        }
        checkKernel("NettyStyleMasking", alloc, bytes, expected, false);
        checkKernel("OurKernels", alloc, bytes, expected, true);
    }

    private ByteBuf buffer(ByteBufAllocator alloc, int capacity) {
        switch (memory) {
            case "direct":
                return alloc.directBuffer(capacity);
            case "heap":
                return alloc.heapBuffer(capacity);
            default:
                throw new IllegalArgumentException("unknown memory '" + memory + "' (direct or heap)");
        }
    }

    private void checkKernel(String name, ByteBufAllocator alloc, byte[] bytes, byte[] expected, boolean ours) {
        // At an odd offset too, so the tail and unaligned paths are covered.
        for (int offset : new int[] {0, 3}) {
            ByteBuf buf = buffer(alloc, offset + bytes.length).writerIndex(offset).writeBytes(bytes);
            try {
                if (ours) {
                    OurKernels.maskInPlace(buf, offset, bytes.length, MASK);
                } else {
                    NettyStyleMasking.maskInPlace(buf, offset, bytes.length, MASK);
                }
                byte[] actual = new byte[bytes.length];
                buf.getBytes(offset, actual);
                if (!java.util.Arrays.equals(actual, expected)) {
                    throw new IllegalStateException(name + " masks " + bytes.length + " bytes at offset "
                            + offset + " wrongly");
                }
            } finally {
                buf.release();
            }
        }
    }

    /** Frees the buffers. */
    @TearDown
    public void tearDown() {
        source.release();
        target.release();
    }

    /** The ceiling: copying the same bytes from one buffer to another. */
    @Benchmark
    public ByteBuf copyBaseline() {
        return target.setBytes(0, source, 0, size);
    }

    /** Netty's masking loop. */
    @Benchmark
    public ByteBuf nettyStyle() {
        NettyStyleMasking.maskInPlace(target, 0, size, MASK);
        return target;
    }

    /** Our masking kernel. */
    @Benchmark
    public ByteBuf ours() {
        OurKernels.maskInPlace(target, 0, size, MASK);
        return target;
    }
}
