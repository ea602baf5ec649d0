package dev.wsnetty.bench.load;

import dev.wsnetty.bench.server.WsnettyBlockingEchoServer;
import dev.wsnetty.netty.server.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator against our blocking-API echo server, briefly, so it cannot rot: every echoed byte is
 * checked by the generator. No timing is asserted.
 */
class WsnettyBlockingEchoSmokeTest {
    private static WebSocketServer server;

    @BeforeAll
    static void startServer() {
        server = WsnettyBlockingEchoServer.start(0);
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @ParameterizedTest
    @CsvSource({"20, 8, true", "20, 8, false", "65536, 2, false"})
    void echoesEveryByte(int size, int inflight, boolean text) throws Exception {
        LoadResult result = LoadGenerator.run(new LoadOptions("127.0.0.1", server.port(), "/", 2, size, inflight,
                Duration.ofMillis(200), Duration.ofMillis(700), text, 1));
        assertEquals(0, result.errors(), result.report());
        assertEquals(2, result.connected(), result.report());
        assertTrue(result.messages() > 0, result.report());
    }
}
