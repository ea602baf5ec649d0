package dev.wsnetty.bench.load;

import dev.wsnetty.bench.Transports;
import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.bench.wire.WireFrames;
import dev.wsnetty.netty.tls.ClientTlsContexts;
import dev.wsnetty.netty.tls.TlsConfig;
import dev.wsnetty.netty.tls.TlsProvider;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end echo load: opens N WebSocket connections to a server on loopback, keeps K pre-encoded
 * masked messages in flight on each, checks every echoed byte, and reports messages/s, MiB/s, latency
 * percentiles and errors. Runs for warmup + duration, then drains, closes and stops by itself.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.load.LoadGenerator --port 8080 --connections 100 --size 20 --inflight 32</pre>
 *
 * <p>With {@code --handshakes} it measures opening handshakes instead ({@link HandshakeLoad}); with {@code --fanout}
 * one publisher's messages delivered to many subscribers ({@link FanoutLoad}).
 *
 * With {@code --tls} each connection starts with a TLS handshake (OpenSSL when it loads); the frames are
 * still pre-encoded, so the generator's cost per message is the encryption only.
 */
public final class LoadGenerator {
    /** The masking key of every frame sent: one fixed key is enough for a load generator. */
    static final int MASK = 0x5A17C3E9;
    private static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_ERROR_SAMPLES = 5;

    private LoadGenerator() {
    }

    /** Runs one load run as the options say and prints the report and a {@code RESULT} line. */
    public static void main(String[] args) throws InterruptedException, IOException {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LoadResult result = run(options);
        System.out.print(result.report());
        System.out.println(result.resultLine());
        System.exit(result.errors() == 0 ? 0 : 1);
    }

    /**
     * Runs one load run and returns its result.
     *
     * @throws IOException if the TLS client context cannot be built (e.g. the trusted certificate file is bad)
     */
    public static LoadResult run(LoadOptions options) throws InterruptedException, IOException {
        if (options.handshakes()) {
            return HandshakeLoad.run(options);
        }
        if (options.fanout()) {
            return FanoutLoad.run(options);
        }
        SslContext tls = options.tls() ? clientTls(options) : null;
        byte[] payload = options.text() ? Payloads.asciiJson(options.size()) : Payloads.binary(options.size(), 42);
        int opcode = options.text() ? WireFrames.TEXT : WireFrames.BINARY;
        // Shared by all connections as unreleasable views; freed at the end.
        ByteBuf frame = repeated(WireFrames.masked(opcode, true, payload, MASK), options.inflight());
        VariedMessages varied = options.deflate() ? new VariedMessages(options.text(), options.size(), MASK) : null;
        ByteBuf expected = Unpooled.directBuffer().writeBytes(payload);
        ByteBuf close = Unpooled.directBuffer()
                .writeBytes(WireFrames.masked(WireFrames.CLOSE, true, new byte[] {0x03, (byte) 0xE8}, MASK));
        LoadPlan plan = new LoadPlan(options, opcode, Unpooled.unreleasableBuffer(frame),
                varied,
                Unpooled.unreleasableBuffer(expected), Unpooled.unreleasableBuffer(close));
        EventLoopGroup group = Transports.newGroup(options.threads(), "load");
        Queue<String> connectFailures = new ConcurrentLinkedQueue<>();
        List<EchoConnection> connections = new ArrayList<>(options.connections());
        List<Channel> channels = new ArrayList<>(options.connections());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(Transports.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true);
            for (int i = 0; i < options.connections(); i++) {
                EchoConnection connection = new EchoConnection(plan);
                connections.add(connection);
                ChannelHandler handler = tls == null ? connection : new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), options.host(), options.port()), connection);
                    }
                };
                ChannelFuture connect = bootstrap.clone().handler(handler).connect(options.host(), options.port());
                channels.add(connect.channel());
                connect.addListener(f -> {
                    if (!f.isSuccess()) {
                        connectFailures.add("connect: " + f.cause());
                        plan.handshakes.countDown();
                    }
                });
            }
            plan.handshakes.await(HANDSHAKE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);

            long t0 = System.nanoTime();
            plan.measureStart = t0 + options.warmup().toNanos();
            plan.measureEnd = plan.measureStart + options.duration().toNanos();
            for (int i = 0; i < channels.size(); i++) {
                EchoConnection connection = connections.get(i);
                channels.get(i).eventLoop().execute(connection::start);
            }
            // For profile-echo.sh, which profiles the server between these lines.
            sleepUntil(plan.measureStart);
            System.out.println("measuring");
            sleepUntil(plan.measureEnd);
            System.out.println("measured");

            long drainDeadline = plan.measureEnd + DRAIN_NANOS;
            for (Channel channel : channels) {
                channel.closeFuture().await(Math.max(0, drainDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            for (int i = 0; i < channels.size(); i++) {
                if (channels.get(i).isOpen()) {
                    channels.get(i).eventLoop().execute(connections.get(i)::abandon);
                }
            }
            for (Channel channel : channels) {
                channel.closeFuture().await(5, TimeUnit.SECONDS);
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            frame.release();
            if (varied != null) {
                varied.release();
            }
            expected.release();
            close.release();
        }

        if (options.deflate()) {
            printWireBytes(connections, plan);
        }
        LatencyHistogram latencies = new LatencyHistogram();
        long messages = 0;
        int connected = 0;
        int errors = connectFailures.size();
        List<String> errorSamples = new ArrayList<>(connectFailures.stream().limit(MAX_ERROR_SAMPLES).toList());
        for (EchoConnection connection : connections) {
            latencies.add(connection.latencies());
            messages += connection.messages();
            connected += connection.handshakeDone() ? 1 : 0;
            if (connection.failure() != null) {
                errors++;
                if (errorSamples.size() < MAX_ERROR_SAMPLES) {
                    errorSamples.add(connection.failure());
                }
            }
        }
        return new LoadResult(Transports.name() + (tls != null ? " + TLS" : ""), options, connected, messages,
                options.duration().toNanos() / 1e9, latencies, errors, errorSamples);
    }

    /**
     * The frame {@code times} times, back to back, so that n messages in flight are sent as one slice (one write,
     * one outbound entry): the load generator must not be the side that limits.
     */
    private static ByteBuf repeated(byte[] frame, int times) {
        ByteBuf frames = Unpooled.directBuffer(frame.length * times);
        for (int i = 0; i < times; i++) {
            frames.writeBytes(frame);
        }
        return frames;
    }

    /**
     * Prints a {@code WIRE} line: the bytes on the wire per message each way (a compressed message's frame as
     * sent; the echoes' frames as received, averaged) and how many connections the server agreed compression on.
     */
    private static void printWireBytes(List<EchoConnection> connections, LoadPlan plan) {
        long bytes = 0;
        long echoes = 0;
        int compressing = 0;
        for (EchoConnection connection : connections) {
            long[] counts = connection.wireBytesAndEchoes();
            if (counts != null) {
                bytes += counts[0];
                echoes += counts[1];
            }
            compressing += connection.compressing() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "WIRE compressing_connections=%d sent_frame_bytes=%.1f echo_frame_bytes=%.1f%n",
                compressing, plan.varied.averageFrameLength(compressing > 0), echoes == 0 ? 0.0 : (double) bytes / echoes);
    }

    /** The client context: trusting the given certificate (host name checked) or, without one, anything. */
    private static SslContext clientTls(LoadOptions options) throws IOException {
        if (options.trust() != null) {
            return ClientTlsContexts.trustingPem(options.trust(), TlsConfig.DEFAULT);
        }
        return SslContextBuilder.forClient().sslProvider(TlsProvider.AUTO.sslProvider())
                .trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null).build();
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
