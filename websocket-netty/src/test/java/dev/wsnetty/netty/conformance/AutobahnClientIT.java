package dev.wsnetty.netty.conformance;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Autobahn|Testsuite's fuzzing server against our client through the blocking API: for every case a
 * {@link WebSocketClient} connects to {@code /runCase?case=N&agent=...} and echoes every message with
 * {@link CommunicatorEcho} until the suite closes; then {@code /updateReports} writes the report, and both verdicts
 * of every case are checked as for the server ({@link AutobahnReportCheck}). The suite runs in a child JVM
 * ({@link WsTest}) on a free loopback port; its report goes to {@code target/autobahn/client}.
 *
 * <p>Run by the build's {@code autobahn} failsafe execution in the integration-test phase (skipped with
 * {@code -DskipAutobahn}); sections 1–8 and 10, with section 9 in {@code -Pautobahn-full}.
 */
class AutobahnClientIT {
    /** The name the results are filed under. */
    private static final String AGENT = "wsnetty-client";
    /** Jython loads the suite in 10 to 40 s on 2 busy cores. */
    private static final Duration START_DEADLINE = Duration.ofMinutes(2);
    /**
     * The longest case of section 9 (16 MiB messages, or 1000 messages in a row) takes about a minute on 2 cores; the
     * suite gives a case of sections 12 and 13 (1000 compressed messages) up to 480 s.
     */
    private static final Duration CASE_DEADLINE = Duration.ofMinutes(9);
    /** For the fuzzing server's own answers: the case count and the report. */
    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 180, unit = TimeUnit.MINUTES)
    void everyCaseIsOkInBothVerdicts() throws Exception {
        Path outdir = WsTest.outputDirectory("client");
        int port = WsTest.freePort();
        try (WsTest wstest = WsTest.fuzzingServer(outdir, port)) {
            wstest.awaitListening(port, START_DEADLINE);
            int cases = caseCount(port);
            for (int n = 1; n <= cases; n++) {
                runCase(port, n);
            }
            // A case is logged when the suite sees its connection end, which may come after our side closed.
            Path index = outdir.resolve("index.json");
            Await.until("the report " + index + " holds all " + cases + " cases", ANSWER_DEADLINE,
                    () -> reportedCases(port, index) == cases);
        }
        AutobahnReportCheck.check(outdir.resolve("index.json"));
    }

    /** {@code /getCaseCount}: how many cases the suite's spec selected. */
    private static int caseCount(int port) throws IOException {
        Communicator communicator = connect(port, "/getCaseCount");
        StringMessage count = communicator.waitForStringMessage(ANSWER_DEADLINE);
        assertNotNull(count, "the fuzzing server sent no case count within " + ANSWER_DEADLINE);
        awaitClose(communicator, "/getCaseCount");
        return Integer.parseInt(count.data());
    }

    /** Case {@code n} (1-based, in the spec's order): echo until the suite closes the connection. */
    private static void runCase(int port, int n) throws IOException {
        Communicator communicator = connect(port, "/runCase?case=" + n + "&agent=" + AGENT);
        assertTrue(CommunicatorEcho.echoUntilClosed(communicator, CASE_DEADLINE),
                "case " + n + " was still open after " + CASE_DEADLINE);
    }

    /** Asks for the report ({@code /updateReports}: the suite writes it, then closes) and counts its cases. */
    private static int reportedCases(int port, Path index) {
        try {
            awaitClose(connect(port, "/updateReports?agent=" + AGENT), "/updateReports");
            return AutobahnReport.read(index).cases().size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Communicator connect(int port, String target) throws IOException {
        WebSocketClient client = new WebSocketClient("127.0.0.1", port, target);
        client.setConfig(AutobahnEchoServer.config());
        return client.connectOrThrow();
    }

    private static void awaitClose(Communicator communicator, String target) {
        assertNotNull(communicator.awaitClose(ANSWER_DEADLINE),
                "the fuzzing server did not close " + target + " within " + ANSWER_DEADLINE);
    }
}
