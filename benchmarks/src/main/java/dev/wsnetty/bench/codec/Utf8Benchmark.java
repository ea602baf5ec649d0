package dev.wsnetty.bench.codec;

import dev.wsnetty.bench.wire.Payloads;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
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
 * UTF-8 validation of one whole text message held in a pooled direct buffer.
 *
 * <ul>
 *   <li>{@link #nettyFrameValidator()}: Netty's public path, its {@link Utf8FrameValidator} handler given
 *       one final {@link TextWebSocketFrame} through the {@link HandlerHarness}: fragment bookkeeping,
 *       {@code Utf8Validator.check} (Höhrmann DFA, one {@code forEachByte} callback per byte) and
 *       {@code finish}, plus the frame object, a retained duplicate of the content and one context hop.</li>
 *   <li>{@link #nettyFrameValidatorBinaryBaseline()}: the same path with a binary frame, which the handler
 *       passes on without validating: the harness and frame cost to subtract from the line above.</li>
 *   <li>{@link #nettyUtf8Validator()}: Netty's package-private {@code Utf8Validator} itself,
 *       {@code check} + {@code finish}, see {@link NettyUtf8Validator}.</li>
 *   <li>{@link #ours()}: our validator over the same bytes, see {@link OurKernels#newUtf8Check()}. Compare
 *       it with {@code nettyUtf8Validator} (validator against validator).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.wsnetty.bench.codec.FastThreadLocalExecutor"})
public class Utf8Benchmark {
    /** {@code ascii}: JSON-like ASCII; {@code mixed}: JSON-like text with about 25% of bytes in multi-byte sequences. */
    @Param({"ascii", "mixed"})
    public String corpus;

    /** Message bytes. */
    @Param({"125", "1024", "16384"})
    public int size;

    /** Allocator name, see {@link BenchAllocators#named(String)}. */
    @Param({"pooled"})
    public String allocator;

    private ByteBuf content;
    private HandlerHarness nettyHandler;
    private NettyUtf8Validator nettyValidator;
    private OurKernels.Utf8Check ourCheck;

    /** Fills the message and checks once that every path accepts it. */
    @Setup
    public void setup() throws Exception {
        ByteBufAllocator alloc = BenchAllocators.named(allocator);
        byte[] text = "ascii".equals(corpus) ? Payloads.asciiJson(size) : Payloads.mixedText(size);
        content = alloc.directBuffer(size).writeBytes(text);
        nettyHandler = HandlerHarness.inbound(new Utf8FrameValidator(), alloc);
        nettyValidator = new NettyUtf8Validator();
        ourCheck = OurKernels.newUtf8Check();
        long before = nettyHandler.messagesOut();
        nettyFrameValidator();
        if (nettyHandler.messagesOut() != before + 1 || !nettyHandler.channel().isActive()) {
            throw new IllegalStateException("Netty's Utf8FrameValidator rejected the " + corpus + " corpus");
        }
        if (!nettyUtf8Validator()) {
            throw new IllegalStateException("Netty's Utf8Validator rejected the " + corpus + " corpus");
        }
        if (!ours()) {
            System.err.println("WARNING: our UTF-8 validator rejects the valid " + corpus + " corpus; the ours score is meaningless");
        }
    }

    /** Closes the harness and frees the message. */
    @TearDown
    public void tearDown() {
        nettyHandler.close();
        content.release();
    }

    /** Netty's {@link Utf8FrameValidator} handler on one final text frame. */
    @Benchmark
    public void nettyFrameValidator() throws Exception {
        nettyHandler.read(new TextWebSocketFrame(true, 0, content.retainedDuplicate()));
    }

    /** The same path with a binary frame (not validated): the overhead included in the line above. */
    @Benchmark
    public void nettyFrameValidatorBinaryBaseline() throws Exception {
        nettyHandler.read(new BinaryWebSocketFrame(true, 0, content.retainedDuplicate()));
    }

    /** Netty's {@code Utf8Validator}: {@code check} then {@code finish}. */
    @Benchmark
    public boolean nettyUtf8Validator() {
        return nettyValidator.isValid(content);
    }

    /** Our validator over the whole message. */
    @Benchmark
    public boolean ours() {
        return ourCheck.isValid(content, content.readerIndex(), content.readableBytes());
    }
}
