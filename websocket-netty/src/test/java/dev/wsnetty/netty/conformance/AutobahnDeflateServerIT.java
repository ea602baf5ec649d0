package dev.wsnetty.netty.conformance;

import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Autobahn|Testsuite sections 12 and 13 (permessage-deflate) against the frame pipeline's echo server
 * ({@link AutobahnEchoServer}, our handlers without the blocking API), both verdicts of every case checked
 * ({@link AutobahnReportCheck}). The autobahntestsuite-maven-plugin runs the other sections against the same server,
 * but the suite it ships has no case of sections 12 and 13: this run adds them ({@link WsTest}), with the suite's
 * fuzzing client in a child JVM. The report goes to {@code target/autobahn/frame-pipeline-deflate}.
 *
 * <p>Run by the build's {@code autobahn} failsafe execution in the integration-test phase (skipped with
 * {@code -DskipAutobahn}): a subset of the 216 cases, all of them in {@code -Pautobahn-full}.
 */
class AutobahnDeflateServerIT {
    /** The name the results are filed under. */
    private static final String AGENT = "wsnetty-frame-pipeline-deflate";
    /** The subset takes under a minute; all 216 cases far longer on 2 cores. */
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(175);

    @Test
    @Timeout(value = 180, unit = TimeUnit.MINUTES)
    void everyCaseIsOkInBothVerdicts() throws Exception {
        Path outdir = WsTest.outputDirectory("frame-pipeline-deflate");
        ServerHandshakeConfig settings = AutobahnEchoServer.settings(AutobahnEchoServer.config());
        try (AutobahnServerRunner.Running server = AutobahnServerRunner.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                channel -> WebSocketPipeline.addServerHandshake(channel.pipeline(), settings.config(),
                        new ServerHandshakeHandler(settings)));
             WsTest wstest = WsTest.fuzzingClient(outdir, AGENT, server.port(), WsTest.CaseSelection.deflateOnly())) {
            wstest.awaitExit(RUN_DEADLINE);
        }
        AutobahnReportCheck.check(outdir.resolve("index.json"));
    }
}
