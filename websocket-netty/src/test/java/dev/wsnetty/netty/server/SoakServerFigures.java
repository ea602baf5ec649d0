package dev.wsnetty.netty.server;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What the server of a {@link SoakTest} run reported once every connection had closed, next to its heap and open
 * files from before the first connection: what the test compares with the clients' {@link SoakTally} and with the
 * start.
 *
 * @param javaVersion      the server JVM's version
 * @param heapStart        its heap in use after GC before the first connection, in bytes
 * @param heapEnd          the same at the end
 * @param openFilesStart   its open file descriptors before the first connection
 * @param openFilesEnd     the same at the end
 * @param counters         its numeric counters at the end ({@link SoakServerProcess#counters()})
 * @param closeCodes       its tally of close codes at the end, as {@code {1000=n,...}}
 * @param statsBeforeClose its counters line after the sessions and slow readers ended, before the rest closed
 * @param leaks            its leak detector's answer, {@code LEAKS 0} when none
 * @param logProblems      the lines of its log that report an error or a leak
 */
record SoakServerFigures(String javaVersion, long heapStart, long heapEnd, int openFilesStart, int openFilesEnd,
        Map<String, Long> counters, String closeCodes, String statsBeforeClose, String leaks,
        List<String> logProblems) {

    /** Asks {@code server} for its end figures; the start ones and the line before the close were taken earlier. */
    static SoakServerFigures atEnd(SoakServerProcess server, long heapStart, int openFilesStart,
            String statsBeforeClose) throws IOException, InterruptedException {
        Map<String, Long> counters = server.counters();
        String closeCodes = server.statsMap().get("codes");
        long heapEnd = server.heapAfterGc();
        int openFilesEnd = server.openFiles();
        return new SoakServerFigures(server.javaVersion(), heapStart, heapEnd, openFilesStart, openFilesEnd,
                counters, closeCodes, statsBeforeClose, server.leaks(), server.logProblems());
    }

    /** One of {@link #counters}; fails if the server did not report it. */
    long counter(String name) {
        Long value = counters.get(name);
        if (value == null) {
            throw new AssertionError("the soak server reported no counter " + name + ": " + counters);
        }
        return value;
    }
}
