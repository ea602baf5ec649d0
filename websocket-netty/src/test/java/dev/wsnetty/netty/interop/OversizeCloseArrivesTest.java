package dev.wsnetty.netty.interop;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.PythonWebsockets;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import dev.wsnetty.netty.tls.TlsServerConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A python-websockets client that keeps sending messages over our 1 MiB limit must see our Close 1009, every
 * time: the server keeps reading (and discarding) after its Close until the client's Close or FIN, so that no
 * unread data makes the kernel answer with a reset that destroys the Close before the client reads it (RFC 6455
 * §7.1.1). Each trial is one connection of {@code peers/python_websockets_oversize.py} sending 1.5 MiB messages
 * in a loop to our echo server; the trials' close codes are counted.
 */
@Tag(Hostile.TAG)
class OversizeCloseArrivesTest {
    private static final int MESSAGE = 3 << 19; // 1.5 MiB, over the default 1 MiB limit

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ws", "wss"})
    void everyClientSees1009(String scheme) throws Exception {
        String missing = PythonWebsockets.whyUnavailable();
        Assumptions.assumeTrue(missing == null, missing);
        int trials = Hostile.size(20, 80);
        WebSocketServerFixture.Builder fixture = WebSocketServerFixture.builder().host("localhost").echo();
        if (scheme.equals("wss")) {
            fixture.tls(TlsServerConfig.of(SelfSignedCertificates.localhost().serverContext()));
        }
        try (WebSocketServerFixture server = fixture.start()) {
            List<String> lines = PythonWebsockets.run("python_websockets_oversize.py", Duration.ofSeconds(30 + 11L * trials),
                    scheme + "://localhost:" + server.port() + "/", Integer.toString(trials),
                    Integer.toString(MESSAGE));
            long saw1009 = lines.stream().filter(l -> l.equals("CLOSE " + CloseCodes.MESSAGE_TOO_BIG)).count();
            System.out.println(scheme + ": " + saw1009 + " of " + trials + " clients saw 1009; " + lines);
            assertEquals(trials, lines.size(), "one line per trial: " + lines);
            assertEquals(trials, saw1009, "clients that saw our Close 1009: " + lines);
        }
    }
}
