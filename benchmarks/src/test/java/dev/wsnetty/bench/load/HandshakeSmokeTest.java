package dev.wsnetty.bench.load;

import dev.wsnetty.bench.server.BenchServer;
import dev.wsnetty.bench.server.NettyEchoServer;
import dev.wsnetty.bench.server.WsnettyBlockingEchoServer;
import dev.wsnetty.bench.server.WsnettyEchoServer;
import dev.wsnetty.netty.server.WebSocketServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handshake benchmark ({@code LoadGenerator --handshakes}) against the three echo servers, briefly, so that
 * neither the mode nor a server's handshake and close path can rot: every 101, accept key, Close and TCP end is
 * checked by the generator. No timing is asserted.
 */
class HandshakeSmokeTest {
    private static LoadOptions options(int port, int sources) {
        return LoadOptions.handshakes("127.0.0.1", port, 4, Duration.ofMillis(100), Duration.ofMillis(500), 1,
                sources);
    }

    private static void assertClean(LoadResult result) {
        assertEquals(0, result.errors(), result.report());
        assertTrue(result.messages() > 0, result.report());
        assertTrue(result.resultLine().startsWith("RESULT handshakes_per_s="), result.resultLine());
    }

    @Test
    void nettysServerUpgradesAndCloses() throws Exception {
        try (BenchServer server = BenchServer.start(0, 0, NettyEchoServer.initializer())) {
            assertClean(LoadGenerator.run(options(server.port(), 1)));
        }
    }

    @Test
    void ourPlainServerUpgradesAndCloses() throws Exception {
        try (BenchServer server = BenchServer.start(0, 0, WsnettyEchoServer.initializer())) {
            assertClean(LoadGenerator.run(options(server.port(), 1)));
        }
    }

    @Test
    void ourBlockingServerUpgradesAndCloses() throws Exception {
        WebSocketServer server = WsnettyBlockingEchoServer.start(0);
        try {
            assertClean(LoadGenerator.run(options(server.port(), 1)));
        } finally {
            server.stop();
        }
    }

    @Test
    void connectionsCanComeFromSeveralLoopbackAddresses() throws Exception {
        try (BenchServer server = BenchServer.start(0, 0, WsnettyEchoServer.initializer())) {
            assertClean(LoadGenerator.run(options(server.port(), 3)));
        }
    }
}
