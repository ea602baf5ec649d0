package dev.wsnetty.netty.server;

import dev.wsnetty.netty.CompressionMode;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * The size and pace of a {@link SoakTest} run, read from the {@code wsnetty.soak.*} system properties. The defaults
 * are the default build's tiny run; {@code -Psoak} (this module's pom) sets the full size. RELIABILITY.md lists
 * both.
 *
 * @param connections        connections held at once ({@code connections}, 200)
 * @param duration           how long they are held ({@code seconds}, 2)
 * @param active             connections that exchange checked messages ({@code active}, 20)
 * @param slowReaders        slow readers, spread over the run ({@code slowReaders}, 2)
 * @param pauseMillis        the longest pause between an echo and the next message on an active connection, random
 *                           up to it ({@code pauseMillis}, 0)
 * @param churnPerSecond     idle connections closed and replaced a second ({@code churnPerSecond}, 20; 0: none)
 * @param writeTimeoutMillis the server's write timeout, which ends the slow readers ({@code writeTimeoutMillis},
 *                           1000)
 * @param heapToleranceMiB   how much the server's heap after GC may grow over the run ({@code heapToleranceMiB}, 8)
 * @param serverHeap         the server JVM's heap option ({@code serverHeap}, {@code -Xmx1g})
 * @param logDir             where the summary, progress and server log files go ({@code logDir}, {@code target})
 * @param compression        the server's and the clients' permessage-deflate mode ({@code compression}, {@code OFF}:
 *                           the default build's short run stays light; {@code -Psoak} runs {@code LEAN}, the
 *                           library's default)
 */
record SoakSettings(int connections, Duration duration, int active, int slowReaders, long pauseMillis,
        int churnPerSecond, long writeTimeoutMillis, long heapToleranceMiB, String serverHeap, Path logDir,
        CompressionMode compression) {

    /** The binary messages a slow reader asks for: more than the socket buffers hold, so the server's write blocks. */
    static final int FLOOD_MESSAGES = 1024;
    /** The size of each flood message in bytes. */
    static final int FLOOD_SIZE = 65_536;
    /** An active connection's session ends after this many messages at the least. */
    static final int SESSION_MIN = 20;
    /** An active connection's session ends after this many messages at the most. */
    static final int SESSION_MAX = 200;
    /** The most handshakes under way at once during the ramp-up. */
    static final int RAMP_IN_FLIGHT = 256;
    /** How long a slow reader stays unread after the write timeout: less than the server's close timeout (5 s). */
    private static final long SLOW_MARGIN_MILLIS = 2500;

    /** The settings of this run: the system properties, or the default build's values. */
    static SoakSettings fromSystemProperties() {
        return new SoakSettings(
                Integer.getInteger("wsnetty.soak.connections", 200),
                Duration.ofSeconds(Long.getLong("wsnetty.soak.seconds", 2)),
                Integer.getInteger("wsnetty.soak.active", 20),
                Integer.getInteger("wsnetty.soak.slowReaders", 2),
                Long.getLong("wsnetty.soak.pauseMillis", 0),
                Integer.getInteger("wsnetty.soak.churnPerSecond", 20),
                Long.getLong("wsnetty.soak.writeTimeoutMillis", 1000),
                Long.getLong("wsnetty.soak.heapToleranceMiB", 8),
                System.getProperty("wsnetty.soak.serverHeap", "-Xmx1g"),
                Paths.get(System.getProperty("wsnetty.soak.logDir", "target")),
                CompressionMode.valueOf(System.getProperty("wsnetty.soak.compression", "OFF")));
    }

    /** How long a slow reader leaves its socket unread: the write timeout and a margin for the close to start. */
    long slowReaderUnreadMillis() {
        return writeTimeoutMillis + SLOW_MARGIN_MILLIS;
    }

    /** The limit for opening every connection: at least a minute, and 1 s per 20 connections. */
    Duration rampLimit() {
        return Duration.ofSeconds(Math.max(60, connections / 20));
    }

    /**
     * The limit for each step of the end (sessions finishing, every connection closing): at least 30 s, and 1 s per
     * 200 connections.
     */
    Duration endStep() {
        return Duration.ofSeconds(Math.max(30, connections / 200));
    }

    /** The limit for the slow readers and sessions to end once the churn stopped. */
    Duration slowEnd() {
        return endStep().plusMillis(slowReaderUnreadMillis() + pauseMillis);
    }

    /**
     * How far below {@link #connections} the open count may fall: closed connections are replaced once their close
     * completes, so a few are always on their way (1%, at least 10).
     */
    int replacingAllowance() {
        return Math.max(connections / 100, 10);
    }
}
