package dev.wsnetty.netty.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients of a {@link SoakTest} run counted (connections, messages sent and checked, flood messages,
 * churn, close codes, every failure seen, the range of open connections during the hold) and the run's summary,
 * which sets these figures next to the server's. The connections' event loops record from any thread; the range
 * and the ramp-up are recorded by the test's thread, which reads everything at the end.
 */
final class SoakTally {
    private final Instant began = Instant.now();
    private final LongAdder opened = new LongAdder();
    private final LongAdder openedCompressed = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder sessions = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sentInSeveralFrames = new LongAdder();
    private final LongAdder arrivedInSeveralFrames = new LongAdder();
    private final LongAdder checked = new LongAdder();
    private final LongAdder checkedBytes = new LongAdder();
    private final LongAdder flooded = new LongAdder();
    private final LongAdder floodedBytes = new LongAdder();
    private final LongAdder churned = new LongAdder();
    private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    /** One line per slow reader that ended: its close code and flood messages checked; guarded by itself. */
    private final List<String> slowReaderEnds = new ArrayList<>();
    /** The ramp-up's length; the test's thread only. */
    private double rampSeconds;
    /** The fewest and most connections open, sampled during the hold; the test's thread only. */
    private int minOpen = Integer.MAX_VALUE;
    private int maxOpen;

    /** Records a failed check; the test fails at the end, after the summary, with the first. */
    void fail(String what) {
        failures.add(what);
    }

    /** A connection opened; {@code compressed}: with permessage-deflate agreed. */
    void connectionOpened(boolean compressed) {
        opened.increment();
        if (compressed) {
            openedCompressed.increment();
        }
    }

    void handshakeFailed(String what) {
        handshakeFailures.increment();
        fail(what);
    }

    void sessionStarted() {
        sessions.increment();
    }

    void sent(boolean inSeveralFrames) {
        sent.increment();
        if (inSeveralFrames) {
            sentInSeveralFrames.increment();
        }
    }

    /** Records a message that arrived in several frames (echo or flood). */
    void arrivedInSeveralFrames() {
        arrivedInSeveralFrames.increment();
    }

    /** Records an echo whose every byte equals what was sent. */
    void echoChecked(int bytes) {
        checked.increment();
        checkedBytes.add(bytes);
    }

    /** Records a flood message whose every byte is as expected. */
    void floodChecked(int bytes) {
        flooded.increment();
        floodedBytes.add(bytes);
    }

    void churned() {
        churned.increment();
    }

    /** Records the close code a connection ended with (-1: none). */
    void closed(int code) {
        closeCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void slowReaderEnded(int code, int floodMessages) {
        synchronized (slowReaderEnds) {
            slowReaderEnds.add("closed " + code + " after " + floodMessages + " checked flood messages");
        }
    }

    void rampedUp(double seconds) {
        rampSeconds = seconds;
    }

    /** Takes one sample of the connections open during the hold. */
    void sampleOpen(int open) {
        minOpen = Math.min(minOpen, open);
        maxOpen = Math.max(maxOpen, open);
    }

    long openedCount() {
        return opened.sum();
    }

    long handshakeFailureCount() {
        return handshakeFailures.sum();
    }

    long sentCount() {
        return sent.sum();
    }

    long checkedCount() {
        return checked.sum();
    }

    long checkedBytes() {
        return checkedBytes.sum();
    }

    long floodedCount() {
        return flooded.sum();
    }

    int minOpen() {
        return minOpen;
    }

    /** The failures in the order they were recorded. */
    List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** The close codes the connections ended with and how many of each, in code order. */
    Map<Integer, Long> closeCodes() {
        Map<Integer, Long> codes = new TreeMap<>();
        closeCodes.forEach((code, n) -> codes.put(code, n.sum()));
        return codes;
    }

    /** The figures printed every 30 s during the hold. */
    String progress() {
        return String.format("checked %d messages (%d bytes), churned %d, sessions %d, failures %d",
                checked.sum(), checkedBytes.sum(), churned.sum(), sessions.sum(), failures.size());
    }

    /** The run's summary, as written to {@code soak-summary.txt}: the clients' figures next to the server's. */
    String summary(SoakSettings settings, SoakServerFigures server) {
        List<String> slow;
        synchronized (slowReaderEnds) {
            slow = new ArrayList<>(slowReaderEnds);
        }
        return String.format("Soak of %s, %s (client JVM: Java %s; server JVM: %s)%n", began,
                        System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.version(),
                        server.javaVersion())
                + String.format("connections: %d held for %d s (open between %d and %d, sampled every 200 ms),"
                                + " ramp-up %.1f s; %d opened in all, %d handshake failures%n",
                        settings.connections(), settings.duration().toMillis() / 1000, minOpen, maxOpen, rampSeconds,
                        opened.sum(), handshakeFailures.sum())
                + String.format("compression: %s, permessage-deflate agreed on %d of them%n", settings.compression(),
                        openedCompressed.sum())
                + String.format("checked echoes: %d messages, %d bytes (%d sent, %d of them in several frames;"
                                + " %d arrived in several frames), %d sessions on %d active connections"
                                + " (pause up to %d ms)%n", checked.sum(), checkedBytes.sum(), sent.sum(),
                        sentInSeveralFrames.sum(), arrivedInSeveralFrames.sum(), sessions.sum(), settings.active(),
                        settings.pauseMillis())
                + String.format("churn: %d idle connections closed and replaced (%d/s asked)%n", churned.sum(),
                        settings.churnPerSecond())
                + String.format("slow readers: %d, write timeout %d ms: %s%n", settings.slowReaders(),
                        settings.writeTimeoutMillis(), slow)
                + String.format("flood messages checked: %d (%d bytes)%n", flooded.sum(), floodedBytes.sum())
                + String.format("close codes seen by the clients: %s; by the server: %s%n", closeCodes(),
                        server.closeCodes())
                + String.format("server heap after GC: start %.1f MiB, end %.1f MiB (tolerance %d MiB); peak in use"
                                + " %.1f MiB (sampled every second, %s)%n", mib(server.heapStart()),
                        mib(server.heapEnd()), settings.heapToleranceMiB(), mib(server.counter("peakHeap")),
                        settings.serverHeap())
                + String.format("server open files: start %d, end %d; peak RSS %.0f MiB; CPU %.0f s; peak connections"
                                + " %d%n", server.openFilesStart(), server.openFilesEnd(),
                        server.counter("peakRssKiB") / 1024.0, server.counter("cpuMillis") / 1000.0,
                        server.counter("peakOpen"))
                + String.format("server before the final close: %s%n", server.statsBeforeClose())
                + String.format("leak reports (PARANOID): %s; error or leak lines in the server log: %d%n",
                        server.leaks(), server.logProblems().size())
                + String.format("failures: %d %s%n", failures.size(), failures.stream().limit(10)
                        .reduce("", (a, b) -> a + "\n  " + b));
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
