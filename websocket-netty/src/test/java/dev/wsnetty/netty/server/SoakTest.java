package dev.wsnetty.netty.server;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.server.SoakConnection.Kind;
import dev.wsnetty.testing.Await;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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
 *
 * <p>This class is the scenario and its asserts. The run's settings ({@code wsnetty.soak.*}) are
 * {@link SoakSettings}; the connections {@link SoakClients}, each a {@link SoakConnection}; the clients' figures and
 * the summary {@link SoakTally}; the server's end figures {@link SoakServerFigures}.
 */
class SoakTest {
    /** How often the hold samples the connections open (the summary says so). */
    private static final long SAMPLE_MILLIS = 200;
    /** How often the hold prints its progress, to follow a long run. */
    private static final long PROGRESS_SECONDS = 30;

    private final SoakSettings settings = SoakSettings.fromSystemProperties();
    private final SoakTally tally = new SoakTally();

    @Test
    void holdsChurnsAndChecksEveryEcho() throws Exception {
        Files.createDirectories(settings.logDir());
        Files.deleteIfExists(settings.logDir().resolve("soak-progress.txt"));
        SoakServerProcess server = SoakServerProcess.start(settings.logDir().resolve("soak-server.log"),
                settings.serverHeap(), settings.writeTimeoutMillis(), settings.compression());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            long heapStart = server.heapAfterGc();
            int openFilesStart = server.openFiles();
            SoakClients clients = new SoakClients(new ClientConnector(group, NioSocketChannel.class),
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).path("/")
                            .config(WebSocketConfig.builder().compression(settings.compression()).build()).build(),
                    settings, tally);

            rampUp(clients);
            scheduleChurnAndSlowReaders(clients, timer);
            hold(clients, server);

            // The end: no more churn, sessions close after their echo, slow readers finish, the rest close.
            clients.stop();
            timer.shutdownNow();
            Await.until("every slow reader and session has ended", settings.slowEnd(), clients::onlyIdleLeft);
            String statsBeforeClose = server.stats();
            clients.closeAll();
            Await.until("every connection has closed", settings.endStep(), clients::allClosed);
            Await.until("the server saw every connection close", settings.endStep(),
                    () -> openOnServer(server) == 0);
            SoakServerFigures figures = SoakServerFigures.atEnd(server, heapStart, openFilesStart, statsBeforeClose);

            String summary = tally.summary(settings, figures);
            Files.write(settings.logDir().resolve("soak-summary.txt"), summary.getBytes(StandardCharsets.UTF_8));
            System.out.print(summary);
            assertNothingLost(figures);
            assertNothingLeft(figures);
        } finally {
            timer.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            server.stop();
        }
    }

    /** Opens every connection, a bounded number of handshakes at a time, and waits until all are open. */
    private void rampUp(SoakClients clients) throws InterruptedException {
        long rampStart = System.nanoTime();
        Semaphore inFlight = new Semaphore(SoakSettings.RAMP_IN_FLIGHT);
        int idle = settings.connections() - settings.active();
        for (int i = 0; i < settings.connections(); i++) {
            inFlight.acquire();
            // The idle ones first, so the ramp-up is not slowed by the active ones' traffic.
            clients.open(i < idle ? Kind.IDLE : Kind.ACTIVE).ready().thenRun(inFlight::release);
        }
        Await.until("every connection is open", settings.rampLimit(),
                () -> clients.openCount() >= settings.connections());
        double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
        tally.rampedUp(rampSeconds);
        log("soak: %d connections open in %.1f s; holding them for %s", clients.openCount(), rampSeconds,
                settings.duration());
    }

    /** The churn at its steady rate, and the slow readers spread evenly over the hold. */
    private void scheduleChurnAndSlowReaders(SoakClients clients, ScheduledExecutorService timer) {
        if (settings.churnPerSecond() > 0) {
            long periodMicros = 1_000_000L / settings.churnPerSecond();
            timer.scheduleAtFixedRate(clients::churnOne, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        }
        for (int i = 0; i < settings.slowReaders(); i++) {
            timer.schedule(() -> clients.open(Kind.SLOW), settings.duration().toMillis() * i / settings.slowReaders(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Holds the connections for the run's duration, sampling how many are open and printing the progress. */
    private void hold(SoakClients clients, SoakServerProcess server) throws Exception {
        long holdEnd = System.nanoTime() + settings.duration().toNanos();
        long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROGRESS_SECONDS);
        while (System.nanoTime() < holdEnd) {
            tally.sampleOpen(clients.openCount());
            if (System.nanoTime() > nextProgress) {
                nextProgress += TimeUnit.SECONDS.toNanos(PROGRESS_SECONDS);
                log("soak: open %d, %s; %s", clients.openCount(), tally.progress(), server.stats());
            }
            // Not a wait for a condition: the soak's length is the point.
            long left = (holdEnd - System.nanoTime()) / 1_000_000;
            TimeUnit.MILLISECONDS.sleep(Math.min(SAMPLE_MILLIS, Math.max(1, left)));
        }
    }

    /** Every check passed, every message was echoed and checked, and the server counted what the clients did. */
    private void assertNothingLost(SoakServerFigures server) {
        List<String> failures = tally.failures();
        assertTrue(failures.isEmpty(), failures.size() + " failures, the first: "
                + (failures.isEmpty() ? null : failures.get(0)));
        assertEquals(0, tally.handshakeFailureCount(), "handshake failures");
        int lowest = settings.connections() - settings.replacingAllowance();
        assertTrue(tally.minOpen() >= lowest, "connections held dropped to " + tally.minOpen());
        assertEquals(tally.sentCount(), tally.checkedCount(), "echoes missing");
        assertEquals(server.counter("echoed"), tally.checkedCount(), "the server's echo count");
        assertEquals(server.counter("echoedBytes"), tally.checkedBytes(), "the server's echoed bytes");
        assertEquals(server.counter("flooded"), tally.floodedCount(), "flood messages the server wrote");
        assertEquals(server.counter("opened"), tally.openedCount(), "connections the server opened");
        Map<Integer, Long> codes = tally.closeCodes();
        assertEquals(codes.toString().replace(" ", ""), server.closeCodes(), "close codes: client vs server");
        assertEquals(tally.openedCount(), codes.values().stream().mapToLong(Long::longValue).sum(),
                "connections closed with a code");
        assertEquals((long) settings.slowReaders(), codes.getOrDefault(1011, 0L), "slow readers closed with 1011");
    }

    /** The server's heap and open files are back to their start, and nothing leaked or logged an error. */
    private void assertNothingLeft(SoakServerFigures server) {
        assertTrue(server.heapEnd() <= server.heapStart() + settings.heapToleranceMiB() * 1024 * 1024,
                "the server's heap after GC grew from " + server.heapStart() + " to " + server.heapEnd());
        assertEquals(server.openFilesStart(), server.openFilesEnd(), "the server's open files");
        assertEquals("LEAKS 0", server.leaks());
        assertEquals(List.of(), server.logProblems(), "errors or leaks in the server's log");
    }

    /** The connections the server has open; for an {@link Await} condition, so its failures are unchecked. */
    private static long openOnServer(SoakServerProcess server) {
        try {
            return server.counters().get("open");
        } catch (IOException e) {
            throw new AssertionError("cannot ask the soak server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Prints a line, and appends it to {@code <logDir>/soak-progress.txt} to follow a long run. */
    private void log(String format, Object... args) {
        String line = String.format(format + "%n", args);
        System.out.print(line);
        try {
            Files.write(settings.logDir().resolve("soak-progress.txt"), line.getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot append to soak-progress.txt: " + e);
        }
    }
}
