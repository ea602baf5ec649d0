package dev.wsnetty.bench.handshake;

import dev.wsnetty.bench.server.NettyEchoServer;
import dev.wsnetty.bench.server.WsnettyEchoServer;
import dev.wsnetty.bench.wire.WireFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A server's Java work for one connection's whole WebSocket life without the socket: the echo server's pipeline is
 * built on an {@link EmbeddedChannel}, the upgrade request goes in, the 101 comes out, a masked Close goes in, the
 * Close comes out and the channel closes. Netty's built-in server ({@link NettyEchoServer}) against ours on the
 * plain pipeline ({@link WsnettyEchoServer}), the pipelines exactly as the echo servers build them. What the
 * end-to-end {@code run-handshake.sh} adds on top is the kernel's TCP work and the event loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class HandshakeBenchmark {
    private static final byte[] REQUEST = ("GET / HTTP/1.1\r\n"
            + "Host: 127.0.0.1:8080\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = WireFrames.masked(WireFrames.CLOSE, true, new byte[] {0x03, (byte) 0xE8},
            0x5A17C3E9);

    /** Which server's pipeline. */
    @Param({"netty", "wsnetty"})
    public String server;

    private ChannelHandler initializer;

    @Setup
    public void setup() {
        initializer = "netty".equals(server) ? NettyEchoServer.initializer() : WsnettyEchoServer.initializer();
        String problem = handshakeAndClose();
        if (problem != null) {
            throw new IllegalStateException(server + ": " + problem);
        }
    }

    /** One connection: pipeline built, upgrade, Close, closed. */
    @Benchmark
    public String handshake() {
        return handshakeAndClose();
    }

    /** Runs one connection and says what went wrong, or returns {@code null}. */
    private String handshakeAndClose() {
        EmbeddedChannel channel = new EmbeddedChannel(initializer);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(REQUEST));
            ByteBuf response = channel.readOutbound();
            if (response == null || response.getByte(9) != '1' || response.getByte(10) != '0'
                    || response.getByte(11) != '1') {
                return "no 101";
            }
            response.release();
            channel.writeInbound(Unpooled.wrappedBuffer(CLOSE));
            ByteBuf close = channel.readOutbound();
            if (close == null || (close.getByte(close.readerIndex()) & 0xFF) != 0x88) {
                return "no Close";
            }
            close.release();
            channel.runPendingTasks();
            return channel.isOpen() ? "still open after the Close" : null;
        } finally {
            Object left;
            while ((left = channel.readOutbound()) != null) {
                ReferenceCountUtil.release(left);
            }
            channel.finishAndReleaseAll();
        }
    }
}
