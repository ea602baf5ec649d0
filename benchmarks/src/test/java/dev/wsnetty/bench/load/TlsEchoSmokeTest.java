package dev.wsnetty.bench.load;

import dev.wsnetty.bench.server.BenchServer;
import dev.wsnetty.bench.server.NettyEchoServer;
import dev.wsnetty.bench.server.TlsFiles;
import dev.wsnetty.bench.server.WsnettyEchoServer;
import dev.wsnetty.netty.tls.ServerTlsContexts;
import dev.wsnetty.netty.tls.TlsServerConfig;
import io.netty.channel.ChannelHandler;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS echo run, briefly: both echo servers present the certificate {@link TlsFiles} wrote, the load generator
 * trusts exactly it (host name checked) and checks every echoed byte; with {@code trust=false} it trusts any
 * certificate. No timing is asserted.
 */
class TlsEchoSmokeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"netty, 20, true", "wsnetty, 20, true", "wsnetty, 65536, false", "netty, 65536, false"})
    void echoesEveryByteThroughTls(String server, int size, boolean trust) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TlsFiles.main(new String[] {cert.toString(), key.toString()});
        TlsServerConfig tls = TlsServerConfig.of(ServerTlsContexts.fromPem(cert, key));
        Function<TlsServerConfig, ChannelHandler> initializer =
                server.equals("netty") ? NettyEchoServer::initializer : WsnettyEchoServer::initializer;
        try (BenchServer echo = BenchServer.start(0, 0, initializer.apply(tls))) {
            LoadResult result = LoadGenerator.run(new LoadOptions("127.0.0.1", echo.port(), "/", 2, size, 4,
                    Duration.ofMillis(200), Duration.ofMillis(700), false, 1, true, trust ? cert : null));
            assertEquals(0, result.errors(), result.report());
            assertEquals(2, result.connected(), result.report());
            assertTrue(result.messages() > 0, result.report());
            assertTrue(result.report().contains("+ TLS"), result.report());
        }
    }
}
