package dev.wsnetty.bench.load;

import dev.wsnetty.bench.Transports;
import dev.wsnetty.bench.server.ServerControl.HeapReport;
import dev.wsnetty.bench.server.ServerControl;
import dev.wsnetty.bench.wire.DeflatedMessages;
import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.bench.wire.WireFrames;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N idle WebSocket connections to a benchmark server in another process and reports the server's
 * live heap per connection: live heap (after full GCs, asked through the server's {@link ServerControl}
 * port) with the N connections open, minus the same after a warm-up round of connections was opened,
 * exchanged one message each and closed, divided by N. The warm-up loads the server's classes and fills
 * its pools; a large one (10,000) also gets the per-connection code paths compiled, as in a server that has
 * been running for a while: that matters for virtual threads, whose parked stack frames are on the heap and
 * are several times larger while the code is interpreted. It also reports the server's platform threads with the N connections open.
 * Above {@code --per-address} connections the client binds to further loopback source addresses
 * (127.0.0.2, 127.0.0.3, ...) so the ephemeral ports of one address pair (28,232 by default on Linux,
 * fewer while earlier runs' connections linger in TIME_WAIT) do not run out. Each process may hold
 * 20,000 open files here: up to about 19,500 connections fit.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.load.ConnectionScale --port 8080 --connections 10000</pre>
 */
public final class ConnectionScale {
    private static final int MASK = 0x1D2C3B4A;
    private static final int WARMUP_ROUND = 5000;
    /** With {@code --deflate}: the size of the JSON message each connection exchanges, above the threshold. */
    private static final int DEFLATE_MESSAGE_SIZE = 1024;

    private ConnectionScale() {
    }

    /**
     * The options.
     *
     * @param host server host
     * @param port server port
     * @param controlPort the server's control port
     * @param path upgrade request path
     * @param connections idle connections to hold
     * @param perAddress connections per source address before moving to the next
     * @param concurrency handshakes in progress at once
     * @param hold seconds to hold the connections after measuring, then check none was lost
     * @param warmup connections of the warm-up round
     * @param deflate offer permessage-deflate (as browsers do) and have every connection, the measured ones too,
     *                exchange one 1 KiB JSON text message, compressed where the server agreed (the echo must then
     *                come back compressed), before it goes idle
     * @param remeasureAfter seconds after the first measurement to measure again (e.g. after an idle release); 0
     *                       for no second measurement
     */
    public record Options(String host, int port, int controlPort, String path, int connections, int perAddress,
                          int concurrency, double hold, int warmup, boolean deflate, double remeasureAfter) {
        static final String USAGE = String.join("\n",
                "usage: ConnectionScale [options]",
                "  --host H           server host (default 127.0.0.1)",
                "  --port P           server port (default 8080)",
                "  --control-port C   server control port (default port + 1)",
                "  --path /p          upgrade request path (default /)",
                "  --connections N    idle connections (default 1000)",
                "  --per-address A    connections per source address, 127.0.0.2 and up (default 10000)",
                "  --concurrency K    handshakes in progress at once (default 200)",
                "  --hold S           seconds to hold before checking none was lost (default 0)",
                "  --warmup W         warm-up connections, each echoes one message, before the baseline (default 200)",
                "  --deflate          offer permessage-deflate; every connection echoes one 1 KiB JSON message,",
                "                     compressed where agreed, then idles",
                "  --remeasure-after S  measure again S seconds after the first measurement (default 0: no)");

        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 8080;
            int controlPort = -1;
            String path = "/";
            int connections = 1000;
            int perAddress = 10000;
            int concurrency = 200;
            double hold = 0;
            int warmup = 200;
            boolean deflate = false;
            double remeasureAfter = 0;
            for (int i = 0; i < args.length; i += 2) {
                if (args[i].equals("--deflate")) {
                    deflate = true;
                    i--; // no value
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + args[i] + "\n" + USAGE);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--host" -> host = value;
                    case "--port" -> port = Integer.parseInt(value);
                    case "--control-port" -> controlPort = Integer.parseInt(value);
                    case "--path" -> path = value;
                    case "--connections" -> connections = Integer.parseInt(value);
                    case "--per-address" -> perAddress = Integer.parseInt(value);
                    case "--concurrency" -> concurrency = Integer.parseInt(value);
                    case "--hold" -> hold = Double.parseDouble(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--remeasure-after" -> remeasureAfter = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
            }
            if (connections < 1 || perAddress < 1 || concurrency < 1 || warmup < 0 || remeasureAfter < 0) {
                throw new IllegalArgumentException("connections, per-address and concurrency must be positive,"
                        + " warmup and remeasure-after not negative");
            }
            int largest = Math.max(connections, warmup);
            if (largest > perAddress && 2 + (largest - 1) / perAddress > 254) {
                throw new IllegalArgumentException("more source addresses needed than 127.0.0.2..127.0.0.254");
            }
            return new Options(host, port, controlPort < 0 ? port + 1 : controlPort, path, connections, perAddress,
                    concurrency, hold, warmup, deflate, remeasureAfter);
        }
    }

    /**
     * The outcome.
     *
     * @param opened connections whose handshake succeeded
     * @param failed connections that failed, with {@code failures} the first reasons
     * @param stillOpen connections open at the end of the hold
     * @param baseline the server before (heap, threads, resident set, native memory)
     * @param loaded the server with the connections open
     * @param later the server {@code --remeasure-after} seconds later, or null
     * @param failures the first few failure reasons
     */
    public record Result(int opened, int failed, int stillOpen, HeapReport baseline, HeapReport loaded,
                         HeapReport later, List<String> failures) {
        /** Server live heap per open connection, in bytes. */
        public double bytesPerConnection() {
            return perConnection(baseline.liveHeap(), loaded.liveHeap());
        }

        private double perConnection(long before, long after) {
            return opened == 0 || before < 0 || after < 0 ? -1 : (double) (after - before) / opened;
        }

        /** A human-readable report. */
        public String report() {
            long baselineHeap = baseline.liveHeap();
            long loadedHeap = loaded.liveHeap();
            return String.format(Locale.ROOT, "opened %d, failed %d, still open after hold %d%n"
                            + "server live heap: baseline %,d B, with connections %,d B: %.0f B per connection%n"
                            + "server resident set: %.0f B, NMT committed: %.0f B per connection (-1: not measured)%n"
                            + "%sserver platform threads with connections: %d%n%s%s",
                    opened, failed, stillOpen, baselineHeap, loadedHeap, bytesPerConnection(),
                    perConnection(baseline.rss(), loaded.rss()),
                    perConnection(baseline.nativeCommitted(), loaded.nativeCommitted()),
                    later == null ? "" : String.format(Locale.ROOT, "later: live heap %.0f B, resident set %.0f B, "
                                    + "NMT committed %.0f B per connection%n",
                            perConnection(baselineHeap, later.liveHeap()), perConnection(baseline.rss(), later.rss()),
                            perConnection(baseline.nativeCommitted(), later.nativeCommitted())),
                    loaded.threads(),
                    loadedHeap < baselineHeap ? "  the heap shrank while connections were added: the figure is noise "
                            + "(run the server with -XX:+UseG1GC, open more connections)" + System.lineSeparator() : "",
                    failures.isEmpty() ? "" : "  first failures: " + failures + System.lineSeparator());
        }

        /** One line of {@code key=value} pairs for scripts, starting with {@code RESULT}. */
        public String resultLine() {
            return String.format(Locale.ROOT, "RESULT opened=%d failed=%d still_open=%d baseline_heap=%d loaded_heap=%d "
                    + "bytes_per_connection=%.0f server_threads=%d rss_per_connection=%.0f nmt_per_connection=%.0f%s",
                    opened, failed, stillOpen, baseline.liveHeap(), loaded.liveHeap(), bytesPerConnection(),
                    loaded.threads(), perConnection(baseline.rss(), loaded.rss()),
                    perConnection(baseline.nativeCommitted(), loaded.nativeCommitted()),
                    later == null ? "" : String.format(Locale.ROOT, " later_heap_per_connection=%.0f "
                                    + "later_rss_per_connection=%.0f later_nmt_per_connection=%.0f",
                            perConnection(baseline.liveHeap(), later.liveHeap()),
                            perConnection(baseline.rss(), later.rss()),
                            perConnection(baseline.nativeCommitted(), later.nativeCommitted())));
        }
    }

    /** Runs the measurement and prints the report and a {@code RESULT} line. */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Result result = run(options);
        System.out.print(result.report());
        System.out.println(result.resultLine());
        System.exit(result.failed() == 0 && result.stillOpen() == result.opened() ? 0 : 1);
    }

    /** Runs the measurement. */
    public static Result run(Options options) throws InterruptedException, IOException {
        ByteBuf closeBytes = Unpooled.directBuffer()
                .writeBytes(WireFrames.masked(WireFrames.CLOSE, true, new byte[] {0x03, (byte) 0xE8}, MASK));
        byte[] text = Payloads.textCorpus("json", DEFLATE_MESSAGE_SIZE);
        ByteBuf messageBytes = Unpooled.directBuffer().writeBytes(options.deflate()
                ? WireFrames.masked(WireFrames.TEXT, true, text, MASK)
                : WireFrames.masked(WireFrames.BINARY, true, new byte[20], MASK));
        ByteBuf compressedBytes = Unpooled.directBuffer().writeBytes(WireFrames.masked(
                WireFrames.TEXT | DeflatedMessages.RSV1, true, DeflatedMessages.compress(text), MASK));
        // Every connection writes duplicates of these unreleasable views; the bytes are freed at the end.
        ByteBuf close = Unpooled.unreleasableBuffer(closeBytes);
        ByteBuf message = Unpooled.unreleasableBuffer(messageBytes);
        ByteBuf compressed = options.deflate() ? Unpooled.unreleasableBuffer(compressedBytes) : null;
        EventLoopGroup group = Transports.newGroup(1, "scale");
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(Transports.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true);
            // Warm-up round: classes loaded, pools and caches of the server filled, code compiled, before the baseline.
            // In rounds of at most WARMUP_ROUND connections, which stay well below the open-file limit.
            for (int left = options.warmup(); left > 0; left -= WARMUP_ROUND) {
                int count = Math.min(left, WARMUP_ROUND);
                Batch warm = open(bootstrap, options, count, message, compressed, close);
                warm.closeAll();
                if (warm.failed.get() > 0) {
                    throw new IOException("warm-up: " + warm.failed.get() + " of " + count + " connections failed: "
                            + warm.failures);
                }
            }
            HeapReport baseline = ServerControl.queryHeap(options.host(), options.controlPort());

            // With --deflate the measured connections exchange a message too: a compressed connection gone idle.
            Batch batch = open(bootstrap, options, options.connections(), options.deflate() ? message : null,
                    compressed, close);
            HeapReport loaded = ServerControl.queryHeap(options.host(), options.controlPort());
            HeapReport later = null;
            if (options.remeasureAfter() > 0) {
                TimeUnit.MILLISECONDS.sleep(Math.round(options.remeasureAfter() * 1000));
                later = ServerControl.queryHeap(options.host(), options.controlPort());
            }
            if (options.hold() > 0) {
                TimeUnit.MILLISECONDS.sleep(Math.round(options.hold() * 1000));
            }
            int stillOpen = batch.countOpen();
            batch.closeAll();
            return new Result(batch.opened.get(), batch.failed.get(), stillOpen, baseline, loaded, later,
                    new ArrayList<>(batch.failures));
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            closeBytes.release();
            messageBytes.release();
            compressedBytes.release();
        }
    }

    private static Batch open(Bootstrap bootstrap, Options options, int count, ByteBuf message, ByteBuf compressed,
                              ByteBuf close) throws InterruptedException {
        Batch batch = new Batch();
        Semaphore permits = new Semaphore(options.concurrency());
        InetSocketAddress remote = new InetSocketAddress(options.host(), options.port());
        for (int i = 0; i < count; i++) {
            permits.acquire();
            IdleConnection connection = new IdleConnection(options.host(), options.port(), options.path(), message,
                    message == null ? null : compressed, close,
                    (c, failure) -> {
                        batch.record(failure);
                        permits.release();
                    });
            Bootstrap b = bootstrap.clone().handler(connection);
            ChannelFuture connect = count > options.perAddress()
                    ? b.connect(remote, new InetSocketAddress("127.0.0." + (2 + i / options.perAddress()), 0))
                    : b.connect(remote);
            batch.add(connect.channel(), connection);
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    batch.record("connect: " + f.cause());
                    permits.release();
                }
            });
        }
        if (!permits.tryAcquire(options.concurrency(), 60, TimeUnit.SECONDS)) {
            batch.record("handshakes still pending after 60 s");
        }
        return batch;
    }

    /** The connections of one round. */
    private static final class Batch {
        final List<Channel> channels = new ArrayList<>();
        final List<IdleConnection> connections = new ArrayList<>();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        void add(Channel channel, IdleConnection connection) {
            channels.add(channel);
            connections.add(connection);
        }

        void record(String failure) {
            if (failure == null) {
                opened.incrementAndGet();
                return;
            }
            failed.incrementAndGet();
            if (failures.size() < 5) {
                failures.add(failure);
            }
        }

        int countOpen() throws InterruptedException {
            int open = 0;
            for (int i = 0; i < channels.size(); i++) {
                IdleConnection connection = connections.get(i);
                try {
                    open += channels.get(i).eventLoop().submit(connection::isOpen).get() ? 1 : 0;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return open;
        }

        void closeAll() throws InterruptedException {
            for (int i = 0; i < channels.size(); i++) {
                channels.get(i).eventLoop().execute(connections.get(i)::closeGracefully);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Channel channel : channels) {
                if (!channel.closeFuture().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    channel.close();
                }
            }
        }
    }
}
