package dev.wsnetty.bench.load;

import dev.wsnetty.bench.server.BenchCompression;
import dev.wsnetty.bench.server.BenchServer;
import dev.wsnetty.bench.server.NettyEchoServer;
import dev.wsnetty.bench.server.WsnettyEchoServer;
import io.netty.channel.ChannelHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compressed echo benchmark's tools, briefly, against each compressing server: the load generator offers
 * permessage-deflate, sends compressed messages, inflates and checks every echo (zero errors: it all worked), and
 * the idle-connection tool gets every echo back compressed (a connection whose echo is not is a failure). No timing
 * is asserted.
 */
class CompressedEchoSmokeTest {
    private static BenchServer start(String server, String compression) throws Exception {
        Supplier<ChannelHandler> initializer = server.equals("netty")
                ? NettyEchoServer::initializer : WsnettyEchoServer::initializer;
        // The servers read the property when they build their pipeline settings.
        System.setProperty(BenchCompression.PROPERTY, compression);
        try {
            return BenchServer.start(0, 0, initializer.get());
        } finally {
            System.clearProperty(BenchCompression.PROPERTY);
        }
    }

    @ParameterizedTest
    @CsvSource({"wsnetty,lean,true", "wsnetty,context_takeover,true", "netty,deflate,true",
        "wsnetty,lean,false", "netty,deflate,false"})
    void compressedEchoesAreInflatedAndChecked(String server, String compression, boolean text) throws Exception {
        try (BenchServer echo = start(server, compression)) {
            LoadOptions options = new LoadOptions("127.0.0.1", echo.port(), "/", 2, 1024, 4, Duration.ofMillis(100),
                    Duration.ofMillis(500), text, 1, false, null, false, 1, false, List.of(), true);
            LoadResult result = LoadGenerator.run(options);
            assertEquals(0, result.errors(), result.report());
            assertTrue(result.messages() > 0, result.report());
        }
    }

    @ParameterizedTest
    @CsvSource({"wsnetty,lean", "wsnetty,context_takeover", "netty,deflate", "wsnetty,off"})
    void idleConnectionsExchangeOneCompressedMessage(String server, String compression) throws Exception {
        try (BenchServer echo = start(server, compression)) {
            ConnectionScale.Result result = ConnectionScale.run(new ConnectionScale.Options("127.0.0.1", echo.port(),
                    echo.controlPort(), "/", 10, 10_000, 10, 0, 3, true, 0));
            assertEquals(10, result.opened(), result.report());
            assertEquals(0, result.failed(), result.report());
        }
    }
}
