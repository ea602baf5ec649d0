package dev.wsnetty.bench.load;

import dev.wsnetty.bench.fanout.NettyFanoutServer;
import dev.wsnetty.bench.fanout.WsnettyFanoutServer;
import dev.wsnetty.bench.server.BenchServer;
import dev.wsnetty.netty.server.WebSocketServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out load generator against both Java fan-out servers, briefly, so neither can rot: every subscriber
 * checks every byte and the order of the messages it gets, and at the end that it got all that were published. No
 * timing is asserted.
 */
class FanoutSmokeTest {
    @ParameterizedTest
    @CsvSource({"20, 4", "1024, 2", "70000, 2"})
    void wsnettyTopicsDeliverEveryMessageToEverySubscriber(int size, int window) throws Exception {
        WebSocketServer server = WsnettyFanoutServer.start(0, 0);
        try {
            assertDelivered(run(server.port(), size, window));
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest
    @CsvSource({"20, 4", "1024, 2"})
    void nettyChannelGroupDeliversEveryMessageToEverySubscriber(int size, int window) throws Exception {
        try (BenchServer server = NettyFanoutServer.start(0, 0, 0)) {
            assertDelivered(run(server.port(), size, window));
        }
    }

    private static LoadResult run(int port, int size, int window) throws InterruptedException {
        return FanoutLoad.run(new LoadOptions("127.0.0.1", port, "/", 5, size, window, Duration.ofMillis(200),
                Duration.ofMillis(500), false, 1, false, null, false, 2, true, List.of()));
    }

    private static void assertDelivered(LoadResult result) {
        assertEquals(0, result.errors(), result.report());
        assertEquals(5, result.connected(), result.report());
        assertTrue(result.messages() > 0 && result.published() > 0, result.report());
    }
}
