package dev.wsnetty.bench.load;

import dev.wsnetty.bench.server.BenchServer;
import dev.wsnetty.bench.server.WsnettyEchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator against our plain-pipeline echo server, briefly, so the benchmark server cannot rot:
 * every echoed byte is checked by the generator. No timing is asserted.
 */
class WsnettyEchoSmokeTest {
    private static BenchServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = BenchServer.start(0, 0, WsnettyEchoServer.initializer());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"20, 8, true", "20, 8, false", "65536, 2, true", "65536, 2, false"})
    void echoesEveryByte(int size, int inflight, boolean text) throws Exception {
        LoadResult result = LoadGenerator.run(new LoadOptions("127.0.0.1", server.port(), "/", 2, size, inflight,
                Duration.ofMillis(200), Duration.ofMillis(700), text, 1));
        assertEquals(0, result.errors(), result.report());
        assertEquals(2, result.connected(), result.report());
        assertTrue(result.messages() > 0, result.report());
    }
}
