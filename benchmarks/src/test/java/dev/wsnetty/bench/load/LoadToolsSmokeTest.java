package dev.wsnetty.bench.load;

import dev.wsnetty.bench.server.BenchServer;
import dev.wsnetty.bench.server.NettyEchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tools against Netty's built-in echo server on loopback, briefly: every echoed byte is checked
 * by the generator, so zero errors means the whole path works. No timing is asserted.
 */
class LoadToolsSmokeTest {
    private static BenchServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = BenchServer.start(0, 0, NettyEchoServer.initializer());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static LoadOptions options(int connections, int size, int inflight, boolean text) {
        return new LoadOptions("127.0.0.1", server.port(), "/", connections, size, inflight,
                Duration.ofMillis(200), Duration.ofSeconds(1), text, 1);
    }

    @Test
    void smallTextMessages() throws Exception {
        LoadResult result = LoadGenerator.run(options(2, 20, 8, true));
        assertEquals(0, result.errors(), result.report());
        assertEquals(2, result.connected());
        assertTrue(result.messages() > 0, result.report());
        assertEquals(result.messages(), result.latencies().count());
    }

    @Test
    void largeBinaryMessages() throws Exception {
        LoadResult result = LoadGenerator.run(options(2, 65536, 2, false));
        assertEquals(0, result.errors(), result.report());
        assertTrue(result.messages() > 0, result.report());
    }

    @Test
    void aServerThatIsNotWebSocketIsAnError() throws Exception {
        LoadResult result = LoadGenerator.run(new LoadOptions("127.0.0.1", server.controlPort(), "/", 1, 20, 1,
                Duration.ZERO, Duration.ofMillis(100), false, 1));
        assertEquals(1, result.errors(), result.report());
        assertEquals(0, result.messages());
    }

    @Test
    void connectionScaleHoldsIdleConnectionsFromSeveralSourceAddresses() throws Exception {
        // 8 per source address: the 20 connections come from 127.0.0.2, 127.0.0.3 and 127.0.0.4.
        ConnectionScale.Result result = ConnectionScale.run(new ConnectionScale.Options("127.0.0.1", server.port(),
                server.controlPort(), "/", 20, 8, 10, 0, 5, false, 0));
        assertEquals(20, result.opened(), result.report());
        assertEquals(0, result.failed(), result.report());
        assertEquals(20, result.stillOpen(), result.report());
        assertTrue(result.loaded().liveHeap() > 0 && result.baseline().liveHeap() > 0, result.report());
        assertTrue(result.loaded().threads() > 0, result.report());
        assertTrue(result.loaded().rss() > 0, result.report());
    }

    @Test
    void optionsParse() {
        LoadOptions o = LoadOptions.parse(new String[] {"--port", "9000", "--connections", "3", "--size", "7",
                "--inflight", "2", "--duration", "1.5", "--warmup", "0", "--text", "--path", "/x"});
        assertEquals(9000, o.port());
        assertEquals(3, o.connections());
        assertEquals(Duration.ofMillis(1500), o.duration());
        assertTrue(o.text());
        assertEquals("/x", o.path());
    }
}
