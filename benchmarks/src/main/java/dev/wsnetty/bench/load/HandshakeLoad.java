package dev.wsnetty.bench.load;

import dev.wsnetty.bench.Transports;
import dev.wsnetty.bench.wire.WireFrames;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The handshake benchmark ({@code LoadGenerator --handshakes}): keeps {@code connections} connection attempts in
 * flight, each a new TCP connection that upgrades (101 and accept key checked), sends Close, reads the server's
 * Close and waits for the server to end TCP; as soon as one ends, its slot opens the next. Counts the
 * handshakes that end inside the measurement window and records each one's time from connect to TCP end.
 *
 * <p>Ephemeral ports on loopback: the server closes first (RFC 6455 §7.1.1), so TIME_WAIT is on the server's side
 * and the client's port is free at once; with {@code --sources N} the slots also spread over the source addresses
 * 127.0.0.1 .. 127.0.0.N, so that even a server that lets the client close first leaves N times more four-tuples.
 */
final class HandshakeLoad {
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_ERROR_SAMPLES = 5;

    private HandshakeLoad() {
    }

    /** Runs the handshake benchmark as {@code options} say (its size, inflight, text and TLS are not used). */
    static LoadResult run(LoadOptions options) throws InterruptedException {
        ByteBuf close = Unpooled.directBuffer()
                .writeBytes(WireFrames.masked(WireFrames.CLOSE, true, new byte[] {0x03, (byte) 0xE8}, LoadGenerator.MASK));
        EventLoopGroup group = Transports.newGroup(options.threads(), "handshakes");
        List<Slot> slots = new ArrayList<>(options.connections());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(Transports.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true);
            long t0 = System.nanoTime();
            long measureStart = t0 + options.warmup().toNanos();
            long measureEnd = measureStart + options.duration().toNanos();
            CountDownLatch stopped = new CountDownLatch(options.connections());
            for (int i = 0; i < options.connections(); i++) {
                InetSocketAddress source = options.sources() == 1 ? null
                        : new InetSocketAddress("127.0.0." + (1 + i % options.sources()), 0);
                EventLoop loop = group.next();
                Slot slot = new Slot(options, bootstrap.clone(loop), source, Unpooled.unreleasableBuffer(close), measureStart,
                        measureEnd, stopped);
                slots.add(slot);
                loop.execute(slot::connect);
            }
            stopped.await(measureEnd - System.nanoTime() + DRAIN_NANOS, TimeUnit.NANOSECONDS);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            close.release();
        }
        LatencyHistogram latencies = new LatencyHistogram();
        long handshakes = 0;
        int errors = 0;
        List<String> samples = new ArrayList<>();
        for (Slot slot : slots) {
            latencies.add(slot.latencies);
            handshakes += slot.measured;
            errors += slot.errors;
            for (String sample : slot.errorSamples) {
                if (samples.size() < MAX_ERROR_SAMPLES) {
                    samples.add(sample);
                }
            }
            if (slot.running) {
                errors++;
                if (samples.size() < MAX_ERROR_SAMPLES) {
                    samples.add("a connection was still open after the drain time");
                }
            }
        }
        return new LoadResult(Transports.name(), options, (int) Math.min(Integer.MAX_VALUE, handshakes), handshakes,
                options.duration().toNanos() / 1e9, latencies, errors, samples);
    }

    /**
     * One of the {@code connections} places: opens a connection, and when it has ended opens the next, until the
     * measurement window is over. All its connections run on one event loop (its bootstrap's group), the only
     * thread that touches its fields until the main thread reads them after the group has stopped.
     */
    static final class Slot {
        private final LoadOptions options;
        private final Bootstrap bootstrap;
        private final InetSocketAddress source;
        private final ByteBuf close;
        private final long measureStart;
        private final long measureEnd;
        private final CountDownLatch stopped;
        final LatencyHistogram latencies = new LatencyHistogram();
        final List<String> errorSamples = new ArrayList<>(MAX_ERROR_SAMPLES);
        long measured;
        int errors;
        /** Whether a connection of this slot is under way. */
        boolean running;

        Slot(LoadOptions options, Bootstrap bootstrap, InetSocketAddress source, ByteBuf close, long measureStart,
             long measureEnd, CountDownLatch stopped) {
            this.options = options;
            this.bootstrap = bootstrap;
            this.source = source;
            this.close = close;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.stopped = stopped;
        }

        /** The masked Close frame to send, a new view each time. */
        ByteBuf close() {
            return close.duplicate();
        }

        void connect() {
            running = true;
            long started = System.nanoTime();
            HandshakeConnection connection = new HandshakeConnection(this,
                    new ClientHandshake(options.host(), options.port(), options.path()), started);
            Bootstrap b = bootstrap.clone().handler(connection);
            (source == null ? b.connect(options.host(), options.port())
                    : b.connect(new InetSocketAddress(options.host(), options.port()), source)).addListener(f -> {
                        if (!f.isSuccess()) {
                            failed("connect: " + f.cause());
                        }
                    });
        }

        /** A handshake completed and the connection ended, {@code nanos} after its connect began. */
        void finished(long nanos) {
            long now = System.nanoTime();
            if (now >= measureStart && now < measureEnd) {
                measured++;
                latencies.record(nanos);
            }
            next(now);
        }

        void failed(String reason) {
            errors++;
            if (errorSamples.size() < MAX_ERROR_SAMPLES) {
                errorSamples.add(reason);
            }
            next(System.nanoTime());
        }

        private void next(long now) {
            running = false;
            if (now < measureEnd) {
                connect();
            } else {
                stopped.countDown();
            }
        }
    }
}
