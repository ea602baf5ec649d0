package dev.wsnetty.bench.codec;

import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.FrameDecoder;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.deflate.DeflateParameters;
import dev.wsnetty.netty.deflate.PerMessageDeflateHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What permessage-deflate costs and saves per message, to pick {@code WebSocketConfig.compressionThreshold}: our
 * {@link PerMessageDeflateHandler} in its lean mode (no context takeover, so every message is its own deflate stream:
 * a shared stream reset per message) compressing ({@link #compress}) and inflating ({@link #inflate}) one text
 * message of {@code size} bytes, against passing the same message uncompressed ({@link #plain}: the handler's
 * threshold above the size). {@link #main} prints the bytes on the wire (frame header included) each way.
 *
 * <p>Two corpora: {@code json}, API-style records whose values vary (ids, timestamps, prices, names), and
 * {@code chat}, short English sentences. Level 6 (the default).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.wsnetty.bench.codec.FastThreadLocalExecutor"})
public class CompressionThresholdBenchmark {
    /** Message bytes. */
    @Param({"64", "128", "256", "512", "1024", "2048", "4096"})
    public int size;

    /** Which text: {@code json} or {@code chat}. */
    @Param({"json", "chat"})
    public String corpus;

    private EmbeddedChannel channel;
    private ChannelHandlerContext ctx;
    private PerMessageDeflateHandler compressing;
    private ChannelHandlerContext plainCtx;
    private PerMessageDeflateHandler plain;
    private ByteBuf message;
    private ByteBuf compressed;
    private EmbeddedChannel plainChannel;

    /** Builds both handlers and one compressed copy of the message to inflate. */
    @Setup
    public void setup() throws Exception {
        byte[] text = Payloads.textCorpus(corpus, size);
        channel = channel(0);
        ctx = channel.pipeline().context("deflate");
        compressing = (PerMessageDeflateHandler) ctx.handler();
        plainChannel = channel(Integer.MAX_VALUE);
        plainCtx = plainChannel.pipeline().context("deflate");
        plain = (PerMessageDeflateHandler) plainCtx.handler();
        ByteBufAllocator alloc = channel.alloc();
        message = alloc.directBuffer(size).writeBytes(text);
        Sink.last = null;
        compressing.write(ctx, WebSocketFrame.text(message.retainedDuplicate(), true), channel.voidPromise());
        WebSocketFrame out = (WebSocketFrame) Sink.take();
        compressed = out.content().retain();
        out.release();
    }

    /** A channel with the decoder (the deflate handler needs one) and the deflate handler between two sinks. */
    private static EmbeddedChannel channel(int threshold) {
        WebSocketConfig config = WebSocketConfig.builder().compressionThreshold(threshold).build();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new FrameDecoder(config, Role.SERVER)).addLast(new Sink())
                .addLast("deflate", new PerMessageDeflateHandler(DeflateParameters.lean(), config, Role.SERVER))
                .addLast(new InboundSink());
        return ch;
    }

    /** Frees the buffers and the channels. */
    @TearDown
    public void tearDown() {
        message.release();
        compressed.release();
        channel.finishAndReleaseAll();
        plainChannel.finishAndReleaseAll();
    }

    /** Sending the message uncompressed through the handler (under its threshold). */
    @Benchmark
    public Object plain() throws Exception {
        plain.write(plainCtx, WebSocketFrame.text(message.retainedDuplicate(), true), plainChannel.voidPromise());
        return Sink.release();
    }

    /** Compressing the message (borrowing the thread's deflater, deflating, giving it back reset). */
    @Benchmark
    public Object compress() throws Exception {
        compressing.write(ctx, WebSocketFrame.text(message.retainedDuplicate(), true), channel.voidPromise());
        return Sink.release();
    }

    /** Inflating the compressed message (borrowing the thread's inflater, inflating, validating UTF-8). */
    @Benchmark
    public Object inflate() {
        compressing.channelRead(ctx, new WebSocketFrame(1, true, true, compressed.retainedDuplicate()));
        return Sink.release();
    }

    /** Takes what the handler wrote; releases it. */
    private static final class Sink extends ChannelOutboundHandlerAdapter {
        static Object last;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            last = msg;
        }

        static Object take() {
            Object m = last;
            last = null;
            return m;
        }

        static Object release() {
            Object m = take();
            ReferenceCountUtil.release(m);
            return m;
        }
    }

    /** Takes what the handler passed on inbound; {@link Sink#release()} releases it. */
    private static final class InboundSink extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Sink.last = msg;
        }
    }

    /** Prints, per corpus and size, the frame's bytes on the wire uncompressed and compressed (lean, level 6). */
    public static void main(String[] args) throws Exception {
        System.out.println("| corpus | message B | uncompressed frame B | compressed frame B | compressed/uncompressed |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String corpus : new String[] {"json", "chat"}) {
            for (int size : new int[] {64, 128, 256, 512, 1024, 2048, 4096}) {
                CompressionThresholdBenchmark b = new CompressionThresholdBenchmark();
                b.corpus = corpus;
                b.size = size;
                b.setup();
                int plainFrame = header(size) + size;
                int compressedFrame = header(b.compressed.readableBytes()) + b.compressed.readableBytes();
                System.out.printf("| %s | %d | %d | %d | %.2f |%n", corpus, size, plainFrame, compressedFrame,
                        (double) compressedFrame / plainFrame);
                b.tearDown();
            }
        }
    }

    /** A server frame's header length for a payload of {@code length} bytes. */
    private static int header(int length) {
        return length <= 125 ? 2 : length <= 65535 ? 4 : 10;
    }
}
