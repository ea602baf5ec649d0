package dev.wsnetty.netty.conformance;

import dev.wsnetty.Communicator;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.netty.server.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Autobahn|Testsuite's fuzzing client against the server through the blocking API, as users write it: a
 * {@link WebSocketServer} with a {@link ThreadedWebSocketHandler} of the default thread kind that echoes every
 * message ({@link CommunicatorEcho}). Then both verdicts of every case are checked as for the frame pipeline's run
 * ({@link AutobahnReportCheck}). The report goes to its own directory ({@code target/autobahn/blocking-api-server}),
 * so it cannot be mixed up with the plugin's run of {@link AutobahnEchoServer}.
 *
 * <p>Run by the build's {@code autobahn} failsafe execution in the integration-test phase (skipped with
 * {@code -DskipAutobahn}); sections 1–8 and 10, with section 9 in {@code -Pautobahn-full}.
 */
class AutobahnBlockingServerIT {
    /** The name the results are filed under. */
    private static final String AGENT = "wsnetty-blocking-api-server";
    /** Sections 1–8 and 10 take about a minute; section 9 about ten more on 2 cores. */
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(175);

    @Test
    @Timeout(value = 180, unit = TimeUnit.MINUTES)
    void everyCaseIsOkInBothVerdicts() throws Exception {
        Path outdir = WsTest.outputDirectory("blocking-api-server");
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setConfig(AutobahnEchoServer.config());
        server.registerHandler("*", "*", new EchoHandler(), true, true);
        server.bind();
        try (WsTest wstest = WsTest.fuzzingClient(outdir, AGENT, server.port(),
                WsTest.CaseSelection.fromProperties())) {
            wstest.awaitExit(RUN_DEADLINE);
        } finally {
            server.stop();
        }
        AutobahnReportCheck.check(outdir.resolve("index.json"));
    }

    /** The echo on the handler's own thread: the default kind, virtual on Java 21+, pooled platform on 17. */
    private static final class EchoHandler extends ThreadedWebSocketHandler {
        @Override
        protected void doHandleCommunication(Communicator communicator) {
            CommunicatorEcho.echoUntilClosed(communicator);
        }
    }
}
