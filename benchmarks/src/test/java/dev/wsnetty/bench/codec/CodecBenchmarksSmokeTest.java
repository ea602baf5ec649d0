package dev.wsnetty.bench.codec;

import dev.wsnetty.netty.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every benchmark method once outside JMH, so the benchmarks cannot rot: each {@code @Setup} checks
 * that Netty's side really produced the right frame (and throws if not) and warns about ours, and every
 * method must run through the harness without failing, stub or not.
 */
class CodecBenchmarksSmokeTest {
    private static final int[] SIZES = {0, 8, 125, 126, 1024, 65536};

    @Test
    void decodeBenchmarkRuns() throws Exception {
        for (int size : SIZES) {
            DecodeBenchmark b = new DecodeBenchmark();
            b.size = size;
            b.allocator = "pooled";
            b.setup();
            try {
                assertEquals(size + (size < 126 ? 6 : size < 65536 ? 8 : 14), b.inputCopyBaseline());
                b.netty();
                b.ours();
            } finally {
                b.tearDown();
            }
        }
    }

    @Test
    void encodeBenchmarkRuns() throws Exception {
        for (Role role : Role.values()) {
            for (int size : SIZES) {
                EncodeBenchmark b = new EncodeBenchmark();
                b.size = size;
                b.role = role;
                b.allocator = "adaptive";
                b.setup();
                try {
                    assertEquals(size, b.payloadCopyBaseline());
                    b.netty();
                    b.ours();
                } finally {
                    b.tearDown();
                }
            }
        }
    }

    @Test
    void maskingBenchmarkRuns() {
        for (String memory : new String[] {"direct", "heap"}) {
            for (int size : new int[] {8, 125, 16384}) {
                MaskingBenchmark b = new MaskingBenchmark();
                b.size = size;
                b.allocator = "pooled";
                b.memory = memory;
                b.setup();
                try {
                    assertEquals(size, b.copyBaseline().writerIndex());
                    b.nettyStyle();
                    b.ours();
                } finally {
                    b.tearDown();
                }
            }
        }
    }

    @Test
    void utf8BenchmarkRuns() throws Exception {
        for (String corpus : new String[] {"ascii", "mixed"}) {
            for (int size : new int[] {125, 1024, 16384}) {
                Utf8Benchmark b = new Utf8Benchmark();
                b.corpus = corpus;
                b.size = size;
                b.allocator = "pooled";
                b.setup();
                try {
                    b.nettyFrameValidator();
                    b.nettyFrameValidatorBinaryBaseline();
                    assertTrue(b.nettyUtf8Validator());
                    assertTrue(b.ours());
                } finally {
                    b.tearDown();
                }
            }
        }
    }

    @Test
    void nettysValidatorAndOurPlaceholderRejectBadText() {
        byte[][] bad = {
            {(byte) 0xC0, (byte) 0x80},               // overlong
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},  // surrogate
            {'a', (byte) 0xE2, (byte) 0x82},          // truncated at the end
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        };
        for (byte[] bytes : bad) {
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            assertFalse(new NettyUtf8Validator().isValid(buf.duplicate()));
            assertFalse(OurKernels.newUtf8Check().isValid(buf, 0, bytes.length));
        }
        ByteBuf good = Unpooled.copiedBuffer("zß€😀", StandardCharsets.UTF_8);
        assertTrue(new NettyUtf8Validator().isValid(good.duplicate()));
        assertTrue(OurKernels.newUtf8Check().isValid(good, 0, good.readableBytes()));
    }

    @Test
    void jmhFoundEveryBenchmark() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(in, "the JMH annotation processor did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String name : new String[] {"DecodeBenchmark_netty", "DecodeBenchmark_ours",
                    "EncodeBenchmark_netty", "EncodeBenchmark_ours", "MaskingBenchmark_ours",
                    "MaskingBenchmark_copyBaseline", "Utf8Benchmark_nettyFrameValidator", "Utf8Benchmark_ours"}) {
                assertTrue(list.contains("dev.wsnetty.bench.codec.jmh_generated." + name + "_jmhTest"),
                        name + " missing from the benchmark list");
            }
        }
    }
}
