package dev.wsnetty.netty.server;

import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak (issue 14): many connections held for a long time against the blocking-API server
 * ({@link SoakServerMain}: {@code ThreadedWebSocketHandler} echo on virtual threads, in a JVM of its own on the
 * JDK of {@code wsnetty.soak.serverJavaHome}), while
 * <ul>
 *   <li>a fraction of them ({@code active}) exchange messages one at a time, every echoed byte checked against
 *       {@link SoakMessages}: text and binary, 0 bytes to 1 MB, a quarter of them sent in up to six frames cut
 *       anywhere (inside UTF-8 characters too), with a random pause of up to {@code pauseMillis} before each;
 *       each such session ends after 20-200 messages, closed by the client
 *       (1000) or by the server on request (4000), and a new connection takes its place;</li>
 *   <li>idle connections are closed and replaced at {@code churnPerSecond}, half by the client (1000), half by
 *       the server on request (4000);</li>
 *   <li>{@code slowReaders}, spread over the run, ask for 64 MiB and stop reading: the server's write times out
 *       ({@code writeTimeoutMillis}) and it closes them with 1011, the documented answer, which they read when
 *       they read again; every flood message that reached them is checked.</li>
 * </ul>
 * At the end every connection is closed (the rest by the client, 1000) and the test asserts: no wrong or missing
 * echo, the client's and the server's message and close-code counts agree, every connection ended once with the
 * code expected for it, the server's live heap after GC is back to where it started (within
 * {@code heapToleranceMiB}), its open file descriptors too, and its leak detector (PARANOID) and log report no
 * leak and no error.
 *
 * <p>The default build runs it tiny (200 connections, 2 seconds); {@code -Psoak} runs the full size (see the
 * profile in this module's pom and RELIABILITY.md). Clients run in this JVM, the server in its own, so each stays
 * under the 20,000 open files limit. Figures are printed and written to {@code <logDir>/soak-summary.txt}, the
 * server's output to {@code <logDir>/soak-server.log}.
 */
class SoakTest {
    private static final int CONNECTIONS = Integer.getInteger("wsnetty.soak.connections", 200);
    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("wsnetty.soak.seconds", 2));
    private static final int ACTIVE = Integer.getInteger("wsnetty.soak.active", 20);
    private static final int SLOW_READERS = Integer.getInteger("wsnetty.soak.slowReaders", 2);
    /** The longest pause between an echo and the next message on an active connection (random up to it). */
    private static final long PAUSE_MILLIS = Long.getLong("wsnetty.soak.pauseMillis", 0);
    private static final int CHURN_PER_SECOND = Integer.getInteger("wsnetty.soak.churnPerSecond", 20);
    private static final long WRITE_TIMEOUT_MILLIS = Long.getLong("wsnetty.soak.writeTimeoutMillis", 1000);
    private static final long HEAP_TOLERANCE_MIB = Long.getLong("wsnetty.soak.heapToleranceMiB", 8);
    private static final String SERVER_HEAP = System.getProperty("wsnetty.soak.serverHeap", "-Xmx1g");
    private static final Path LOG_DIR = Paths.get(System.getProperty("wsnetty.soak.logDir", "target"));
    /** How long a slow reader stays unread after the write timeout: less than the server's close timeout (5 s). */
    private static final long SLOW_MARGIN_MILLIS = 2500;
    private static final int FLOOD_MESSAGES = 1024;
    private static final int FLOOD_SIZE = 65_536;
    private static final int IN_FLIGHT = 256;
    private static final int SESSION_MIN = 20;
    private static final int SESSION_MAX = 200;
    private static final Duration END_STEP = Duration.ofSeconds(Math.max(30, CONNECTIONS / 200));
    private static final Duration RAMP_LIMIT = Duration.ofSeconds(Math.max(60, CONNECTIONS / 20));

    private final Map<Long, Conn> live = new ConcurrentHashMap<>();
    private final List<Conn> idle = new ArrayList<>(); // guarded by itself
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    private final LongAdder opened = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder checked = new LongAdder();
    private final LongAdder checkedBytes = new LongAdder();
    private final LongAdder fragmentedSent = new LongAdder();
    private final LongAdder fragmentedReceived = new LongAdder();
    private final LongAdder flooded = new LongAdder();
    private final LongAdder floodedBytes = new LongAdder();
    private final LongAdder churned = new LongAdder();
    private final LongAdder sessions = new LongAdder();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<String> slowOutcomes = new ArrayList<>(); // guarded by itself
    private volatile boolean stopping;

    private ClientConnector connector;
    private ClientHandshakeRequest request;

    @Test
    void holdsChurnsAndChecksEveryEcho() throws Exception {
        Instant began = Instant.now();
        Files.createDirectories(LOG_DIR);
        Files.deleteIfExists(LOG_DIR.resolve("soak-progress.txt"));
        SoakServerProcess server = SoakServerProcess.start(LOG_DIR.resolve("soak-server.log"), SERVER_HEAP,
                WRITE_TIMEOUT_MILLIS);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        StringBuilder report = new StringBuilder();
        try {
            long heapStart = server.heapAfterGc();
            int fdStart = server.openFiles();
            connector = new ClientConnector(group, NioSocketChannel.class);
            request = ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).path("/").build();

            long rampStart = System.nanoTime();
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            for (int i = 0; i < CONNECTIONS; i++) {
                inFlight.acquire();
                // The idle ones first, so the ramp-up is not slowed by the active ones' traffic.
                open(i < CONNECTIONS - ACTIVE ? Kind.IDLE : Kind.ACTIVE).whenDone(inFlight::release);
            }
            Await.until("every connection is open", RAMP_LIMIT, () -> open.get() >= CONNECTIONS);
            double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
            log("soak: %d connections open in %.1f s; holding them for %s", open.get(), rampSeconds, DURATION);

            long churnPeriodMicros = 1_000_000L / Math.max(1, CHURN_PER_SECOND);
            if (CHURN_PER_SECOND > 0) {
                timer.scheduleAtFixedRate(this::churnOne, churnPeriodMicros, churnPeriodMicros, TimeUnit.MICROSECONDS);
            }
            for (int i = 0; i < SLOW_READERS; i++) {
                timer.schedule(() -> open(Kind.SLOW), DURATION.toMillis() * i / Math.max(1, SLOW_READERS),
                        TimeUnit.MILLISECONDS);
            }
            long holdEnd = System.nanoTime() + DURATION.toNanos();
            int minOpen = Integer.MAX_VALUE;
            int maxOpen = 0;
            long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < holdEnd) {
                int now = open.get();
                minOpen = Math.min(minOpen, now);
                maxOpen = Math.max(maxOpen, now);
                if (System.nanoTime() > nextProgress) {
                    nextProgress += TimeUnit.SECONDS.toNanos(30);
                    log("soak: open %d, checked %d messages (%d bytes), churned %d, sessions %d, failures %d; %s",
                            now, checked.sum(), checkedBytes.sum(), churned.sum(), sessions.sum(), failures.size(),
                            server.stats());
                }
                // Not a wait for a condition: the soak's length is the point, sampled every 200 ms.
                TimeUnit.MILLISECONDS.sleep(Math.min(200, Math.max(1, (holdEnd - System.nanoTime()) / 1_000_000)));
            }
            long heldMillis = DURATION.toMillis();

            // The end: no more churn, sessions close after their echo, slow readers finish, the rest close.
            stopping = true;
            timer.shutdownNow();
            Duration slowEnd = END_STEP.plusMillis(WRITE_TIMEOUT_MILLIS + SLOW_MARGIN_MILLIS + PAUSE_MILLIS);
            Await.until("every slow reader and session has ended", slowEnd,
                    () -> live.values().stream().allMatch(c -> c.kind == Kind.IDLE));
            String statsBeforeClose = server.stats();
            synchronized (idle) {
                idle.clear();
            }
            for (Conn c : live.values()) {
                c.channel.eventLoop().execute(c::closeByClient);
            }
            Await.until("every connection has closed", END_STEP, () -> live.isEmpty() && connecting.get() == 0);
            Await.until("the server saw every connection close", END_STEP,
                    () -> statsOf(server).get("open") == 0);
            Map<String, Long> serverStats = statsOf(server);
            String serverCodes = server.statsMap().get("codes");
            long heapEnd = server.heapAfterGc();
            int fdEnd = server.openFiles();
            String leaks = server.leaks();
            List<String> logProblems = server.logProblems();

            Map<Integer, Long> codes = new TreeMap<>();
            closeCodes.forEach((code, n) -> codes.put(code, n.sum()));
            List<String> slow;
            synchronized (slowOutcomes) {
                slow = new ArrayList<>(slowOutcomes);
            }
            report.append(String.format("Soak of %s, %s (client JVM: Java %s; server JVM: %s)%n", began,
                            System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                            Runtime.version(), server.javaVersion()))
                    .append(String.format("connections: %d held for %d s (open between %d and %d, sampled every"
                                    + " 200 ms), ramp-up %.1f s; %d opened in all, %d handshake failures%n",
                            CONNECTIONS, heldMillis / 1000, minOpen, maxOpen, rampSeconds, opened.sum(),
                            handshakeFailures.sum()))
                    .append(String.format("checked echoes: %d messages, %d bytes (%d sent, %d of them in several"
                                    + " frames; %d arrived in several frames), %d sessions on %d active"
                                    + " connections (pause up to %d ms)%n", checked.sum(), checkedBytes.sum(),
                            sent.sum(), fragmentedSent.sum(), fragmentedReceived.sum(), sessions.sum(), ACTIVE,
                            PAUSE_MILLIS))
                    .append(String.format("churn: %d idle connections closed and replaced (%d/s asked)%n",
                            churned.sum(), CHURN_PER_SECOND))
                    .append(String.format("slow readers: %d, write timeout %d ms: %s%n", SLOW_READERS,
                            WRITE_TIMEOUT_MILLIS, slow))
                    .append(String.format("flood messages checked: %d (%d bytes)%n", flooded.sum(),
                            floodedBytes.sum()))
                    .append(String.format("close codes seen by the clients: %s; by the server: %s%n", codes,
                            serverCodes))
                    .append(String.format("server heap after GC: start %.1f MiB, end %.1f MiB (tolerance %d MiB);"
                                    + " peak in use %.1f MiB (sampled every second, %s)%n", mib(heapStart),
                            mib(heapEnd), HEAP_TOLERANCE_MIB, mib(serverStats.get("peakHeap")), SERVER_HEAP))
                    .append(String.format("server open files: start %d, end %d; peak RSS %.0f MiB; CPU %.0f s;"
                                    + " peak connections %d%n", fdStart, fdEnd,
                            serverStats.get("peakRssKiB") / 1024.0, serverStats.get("cpuMillis") / 1000.0,
                            serverStats.get("peakOpen")))
                    .append(String.format("server before the final close: %s%n", statsBeforeClose))
                    .append(String.format("leak reports (PARANOID): %s; error or leak lines in the server log: %d%n",
                            leaks, logProblems.size()))
                    .append(String.format("failures: %d %s%n", failures.size(), failures.stream().limit(10)
                            .reduce("", (a, b) -> a + "\n  " + b)));
            Files.write(LOG_DIR.resolve("soak-summary.txt"), report.toString().getBytes(StandardCharsets.UTF_8));
            System.out.print(report);

            assertTrue(failures.isEmpty(), failures.size() + " failures, the first: " + failures.peek());
            assertEquals(0, handshakeFailures.sum(), "handshake failures");
            // Closed connections are replaced once their close completes: a few are always on their way.
            int replacing = Math.max(CONNECTIONS / 100, 10);
            assertTrue(minOpen >= CONNECTIONS - replacing, "connections held dropped to " + minOpen);
            assertEquals(sent.sum(), checked.sum(), "echoes missing");
            assertEquals(serverStats.get("echoed"), checked.sum(), "the server's echo count");
            assertEquals(serverStats.get("echoedBytes"), checkedBytes.sum(), "the server's echoed bytes");
            assertEquals(serverStats.get("flooded"), flooded.sum(), "flood messages the server wrote");
            assertEquals(serverStats.get("opened"), opened.sum(), "connections the server opened");
            assertEquals(codes.toString().replace(" ", ""), serverCodes, "close codes: client vs server");
            assertEquals(opened.sum(), codes.values().stream().mapToLong(Long::longValue).sum(),
                    "connections closed with a code");
            assertEquals((long) SLOW_READERS, codes.getOrDefault(1011, 0L), "slow readers closed with 1011");
            assertTrue(heapEnd <= heapStart + HEAP_TOLERANCE_MIB * 1024 * 1024,
                    "the server's heap after GC grew from " + heapStart + " to " + heapEnd);
            assertEquals(fdStart, fdEnd, "the server's open files");
            assertEquals("LEAKS 0", leaks);
            assertEquals(List.of(), logProblems, "errors or leaks in the server's log");
        } finally {
            timer.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            server.stop();
        }
    }

    /** The server's numeric counters. */
    private static Map<String, Long> statsOf(SoakServerProcess server) {
        Map<String, Long> numbers = new TreeMap<>();
        try {
            server.statsMap().forEach((key, value) -> {
                if (value.matches("-?[0-9]+")) {
                    numbers.put(key, Long.parseLong(value));
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot ask the soak server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return numbers;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** Prints a line, and appends it to {@code <logDir>/soak-progress.txt} to follow a long run. */
    private static void log(String format, Object... args) {
        String line = String.format(format + "%n", args);
        System.out.print(line);
        try {
            Files.write(LOG_DIR.resolve("soak-progress.txt"), line.getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot append to soak-progress.txt: " + e);
        }
    }

    /** Closes a random idle connection (half by the client, half asking the server); its end opens another. */
    private void churnOne() {
        Conn victim;
        synchronized (idle) {
            if (idle.isEmpty() || stopping) {
                return;
            }
            int at = ThreadLocalRandom.current().nextInt(idle.size());
            victim = idle.get(at);
            idle.set(at, idle.get(idle.size() - 1));
            idle.remove(idle.size() - 1);
        }
        churned.increment();
        boolean byClient = ThreadLocalRandom.current().nextBoolean();
        victim.replaceOnClose = true;
        victim.channel.eventLoop().execute(() -> {
            if (byClient) {
                victim.closeByClient();
            } else {
                victim.askServerToClose();
            }
        });
    }

    /** Starts a connection of {@code kind}; returns it (its channel is set once it is open). */
    private Conn open(Kind kind) {
        Conn conn = new Conn(ids.incrementAndGet(), kind);
        connecting.incrementAndGet();
        ClientConnection connection = connector.connect(request, pipeline -> pipeline.addLast(conn));
        conn.channel = connection.channel();
        connection.handshake().whenComplete((result, error) -> {
            connecting.decrementAndGet();
            if (error != null || !result.success()) {
                handshakeFailures.increment();
                failures.add("handshake of connection " + conn.id + " failed: "
                        + (error != null ? error : result));
                conn.done();
                return;
            }
            opened.increment();
            open.incrementAndGet();
            live.put(conn.id, conn);
            conn.channel.eventLoop().execute(conn::start);
        });
        return conn;
    }

    private enum Kind { IDLE, ACTIVE, SLOW }

    /**
     * One client connection and its checks. The fields without a comment are used on the channel's event loop
     * only (no locks): the close code it is expected to end with (0 until we decide how it ends), the close events
     * seen and the last one's code (-1 before), the next message number and the session's length (active), the
     * message awaiting its echo (null when none), the frames of the message arriving, the next flood message
     * (slow).
     */
    private final class Conn extends ChannelInboundHandlerAdapter {
        final long id;
        final Kind kind;
        /** Set by {@link #open} before the handshake can complete. */
        volatile Channel channel;
        /** Whether its end opens a new connection (churn, a finished session); set by the closing side. */
        volatile boolean replaceOnClose;
        /** What to run once it is open or failed to open (the ramp-up's permits); guarded by this. */
        private final List<Runnable> whenDone = new ArrayList<>(1);
        /** Guarded by this. */
        private boolean isDone;
        private int expectedCode;
        private int closeEvents;
        private int closeCode = -1;
        private long seq;
        private int sessionLength;
        private SoakMessages.Plan pending;
        private final ByteArrayOutputStream incoming = new ByteArrayOutputStream();
        private int incomingFrames;
        private boolean incomingText;
        private int floodIndex;

        Conn(long id, Kind kind) {
            this.id = id;
            this.kind = kind;
        }

        /** Runs {@code action} once the connection failed to open or has ended. */
        void whenDone(Runnable action) {
            boolean now;
            synchronized (this) {
                now = isDone;
                if (!now) {
                    whenDone.add(action);
                }
            }
            if (now) {
                action.run();
            }
        }

        void done() {
            List<Runnable> actions;
            synchronized (this) {
                isDone = true;
                actions = new ArrayList<>(whenDone);
            }
            actions.forEach(Runnable::run);
        }

        void start() {
            if (stopping && kind != Kind.ACTIVE) {
                closeByClient(); // opened as a replacement just before the end
                done();
                return;
            }
            switch (kind) {
                case IDLE:
                    synchronized (idle) {
                        if (!stopping) {
                            idle.add(this);
                        }
                    }
                    done(); // for the ramp: it is open
                    break;
                case ACTIVE:
                    sessions.increment();
                    sessionLength = SESSION_MIN + ThreadLocalRandom.current().nextInt(SESSION_MAX - SESSION_MIN + 1);
                    done();
                    sendNext();
                    break;
                case SLOW:
                    expectedCode = 1011;
                    channel.writeAndFlush(WebSocketFrame.text("FLOOD " + FLOOD_MESSAGES + " " + FLOOD_SIZE));
                    channel.config().setAutoRead(false);
                    channel.eventLoop().schedule(() -> {
                        channel.config().setAutoRead(true);
                        channel.read();
                    }, WRITE_TIMEOUT_MILLIS + SLOW_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
                    done();
                    break;
                default:
                    throw new AssertionError(kind);
            }
        }

        void closeByClient() {
            if (expectedCode == 0) {
                expectedCode = 1000;
                channel.writeAndFlush(WebSocketFrame.close(1000, "bye"));
            }
        }

        void askServerToClose() {
            if (expectedCode == 0) {
                expectedCode = SoakServerMain.ASKED_CLOSE_CODE;
                channel.writeAndFlush(WebSocketFrame.text("CLOSE_ME"));
            }
        }

        private void sendNext() {
            if (stopping || seq == sessionLength) {
                replaceOnClose = !stopping;
                if (stopping || ThreadLocalRandom.current().nextBoolean()) {
                    closeByClient();
                } else {
                    askServerToClose();
                }
                return;
            }
            pending = SoakMessages.message(id, seq++);
            byte[] p = pending.payload;
            int[] cuts = pending.cuts;
            if (cuts.length > 0) {
                fragmentedSent.increment();
            }
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : p.length;
                ByteBuf part = Unpooled.wrappedBuffer(p, from, to - from);
                boolean fin = i == cuts.length;
                WebSocketFrame frame = i > 0 ? WebSocketFrame.continuation(part, fin)
                        : pending.text ? WebSocketFrame.text(part, fin) : WebSocketFrame.binary(part, fin);
                channel.write(frame);
                from = to;
            }
            channel.flush();
            sent.increment();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            try {
                if (frame.isControl()) {
                    return;
                }
                if (incomingFrames == 0) {
                    incomingText = frame.isText();
                }
                incomingFrames++;
                frame.content().readBytes(incoming, frame.content().readableBytes());
                if (frame.isFinal()) {
                    byte[] message = incoming.toByteArray();
                    boolean text = incomingText;
                    if (incomingFrames > 1) {
                        fragmentedReceived.increment();
                    }
                    incoming.reset();
                    incomingFrames = 0;
                    onMessage(text, message);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            } finally {
                frame.release();
            }
        }

        private void onMessage(boolean text, byte[] message) {
            switch (kind) {
                case ACTIVE:
                    if (pending == null || pending.text != text || !Arrays.equals(pending.payload, message)) {
                        failures.add("connection " + id + " message " + (seq - 1) + ": wrong echo ("
                                + (text ? "text" : "binary") + ", " + message.length + " bytes)");
                        return;
                    }
                    pending = null;
                    checked.increment();
                    checkedBytes.add(message.length);
                    if (PAUSE_MILLIS > 0) {
                        channel.eventLoop().schedule(this::sendNext,
                                ThreadLocalRandom.current().nextLong(PAUSE_MILLIS + 1), TimeUnit.MILLISECONDS);
                    } else {
                        sendNext();
                    }
                    break;
                case SLOW:
                    if (text || !Arrays.equals(SoakMessages.flood(floodIndex, FLOOD_SIZE), message)) {
                        failures.add("slow reader " + id + " flood message " + floodIndex + " is wrong");
                    }
                    floodIndex++;
                    flooded.increment();
                    floodedBytes.add(message.length);
                    break;
                default:
                    failures.add("idle connection " + id + " got a message");
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketCloseEvent) {
                closeEvents++;
                closeCode = ((WebSocketCloseEvent) evt).code();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (closeEvents != 1 || closeCode != expectedCode) {
                failures.add("connection " + id + " (" + kind + ") ended with " + closeEvents + " close events,"
                        + " code " + closeCode + ", expected one with " + expectedCode);
            }
            if (pending != null) {
                failures.add("connection " + id + " closed with message " + (seq - 1) + " unanswered");
            }
            if (kind == Kind.SLOW) {
                synchronized (slowOutcomes) {
                    slowOutcomes.add("closed " + closeCode + " after " + floodIndex + " checked flood messages");
                }
            }
            closeCodes.computeIfAbsent(closeCode, k -> new LongAdder()).increment();
            synchronized (idle) {
                idle.remove(this);
            }
            live.remove(id);
            open.decrementAndGet();
            if (replaceOnClose && !stopping) {
                open(kind == Kind.ACTIVE ? Kind.ACTIVE : Kind.IDLE);
            }
            ctx.fireChannelInactive();
        }
    }
}
