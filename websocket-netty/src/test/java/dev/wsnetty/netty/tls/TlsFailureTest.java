package dev.wsnetty.netty.tls;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.client.WebSocketHandshakeException;
import dev.wsnetty.netty.client.WebSocketHandshakeRefusedException;
import dev.wsnetty.netty.client.WebSocketHandshakeTimeoutException;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a TLS connection can fail ends it cleanly: the client throws an exception that names the problem,
 * the server writes exactly one log line (nothing else at INFO or above: no stack trace from any handler) and
 * closes, nothing hangs (deadlines everywhere) and no buffer leaks (the leak check runs after each test).
 */
class TlsFailureTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static CertifiedKey localhost;

    @BeforeAll
    static void certificate() throws Exception {
        localhost = SelfSignedCertificates.localhost();
        // Log the provider choice now, so that line is not counted below.
        localhost.serverContext(TlsConfig.builder().provider(TlsProvider.OPENSSL).build());
        localhost.serverContext(TlsConfig.builder().provider(TlsProvider.JDK).build());
    }

    @Test
    void plainClientOnATlsPortIsToldToUseTls() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.tlsEcho(
                TlsServerConfig.of(localhost.serverContext()));
             LogCapture log = new LogCapture("", Level.INFO)) {
            WebSocketClient client = new WebSocketClient("localhost", server.port());
            WebSocketHandshakeRefusedException e = assertThrows(WebSocketHandshakeRefusedException.class,
                    client::connectOrThrow);
            assertEquals(400, e.statusCode());
            assertTrue(e.getMessage().contains("400 TLS Required"), e.getMessage());
            assertTrue(e.response().body().contains("connect with wss://"), e.response().body());
            assertOneLine(server.server(), log, "plain text (not a TLS handshake) from /127.0.0.1:");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void untrustedCertificate(TlsProvider provider) throws Exception {
        TlsConfig settings = TlsConfig.builder().provider(provider).build();
        try (WebSocketServerFixture server = WebSocketServerFixture.tlsEcho(
                TlsServerConfig.of(localhost.serverContext(settings)));
             LogCapture log = new LogCapture("", Level.INFO)) {
            // wss:// with the default context: the system's CAs, which do not include our certificate.
            WebSocketClient client = WebSocketClient.of("wss://localhost:" + server.port() + "/");
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class, client::connectOrThrow);
            assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + server.port()
                    + " failed: the server's certificate is not trusted ("), e.getMessage());
            assertOneLine(server.server(), log, "TLS handshake with /127.0.0.1:",
                    "failed: the client aborted it with an alert");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void certificateForAnotherHostName(TlsProvider provider) throws Exception {
        TlsConfig settings = TlsConfig.builder().provider(provider).build();
        CertifiedKey alpha = SelfSignedCertificates.builder("alpha.test").ipAddresses().build();
        try (WebSocketServerFixture server = WebSocketServerFixture.tlsEcho(
                TlsServerConfig.of(alpha.serverContext(settings)));
             LogCapture log = new LogCapture("", Level.INFO)) {
            WebSocketClient client = WebSocketClient.of("wss://localhost:" + server.port() + "/");
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                    () -> client.connectOrThrow(alpha.trustingClientContext(settings)));
            assertTrue(e.getMessage().contains("the server's certificate does not match the host name")
                    && e.getMessage().contains("localhost"), e.getMessage());
            assertOneLine(server.server(), log, "TLS handshake with /127.0.0.1:",
                    "failed: the client aborted it with an alert");
        }
    }

    @ParameterizedTest(name = "with SNI: {0}")
    @ValueSource(booleans = {false, true})
    void clientThatSendsNothingIsClosedAfterTheHandshakeTimeout(boolean sni) throws Exception {
        TlsServerConfig tls = sni
                ? TlsServerConfig.builder(localhost.serverContext()).host("alpha.test", localhost.serverContext()).build()
                : TlsServerConfig.of(localhost.serverContext());
        WebSocketConfig config = WebSocketConfig.builder().handshakeTimeout(SHORT).build();
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().host("localhost").tls(tls)
                .configure(s -> s.setConfig(config)).echo().start();
             LogCapture log = new LogCapture("", Level.INFO);
             Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            silent.setSoTimeout(10_000);
            assertEquals(-1, readToEnd(silent.getInputStream()), "the server sent bytes to a silent client");
            assertOneLine(server.server(), log, "failed: handshake timed out after " + SHORT.toMillis() + "ms");
        }
    }

    @Test
    void serverThatNeverAnswersTlsTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> peerSaw = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = silent.accept()) {
                    accepted.setSoTimeout(10_000);
                    return readToEnd(accepted.getInputStream());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            WebSocketClient client = WebSocketClient.of("wss://localhost:" + silent.getLocalPort() + "/");
            client.setHandshakeTimeout(SHORT);
            WebSocketHandshakeTimeoutException e = assertThrows(WebSocketHandshakeTimeoutException.class,
                    () -> client.connectOrThrow(localhost.trustingClientContext()));
            assertEquals("TLS handshake with localhost:" + silent.getLocalPort() + " did not complete within 300 ms",
                    e.getMessage());
            // The client closed its side: the silent server reads its hello, then the end of the stream.
            assertEquals(-1, peerSaw.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void wssClientOnAPlainServerIsToldTheServerDoesNotSpeakTls() throws Exception {
        WebSocketServer plain = new WebSocketServer("localhost", 0);
        plain.bind();
        try {
            WebSocketClient client = WebSocketClient.of("wss://localhost:" + plain.port() + "/");
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                    () -> client.connectOrThrow(localhost.trustingClientContext()));
            assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + plain.port()
                    + " failed: the server did not answer with TLS"), e.getMessage());
        } finally {
            plain.stop();
        }
    }

    /** Reads until the end of the stream (-1), or a reset (also -1: the connection is gone either way). */
    private static int readToEnd(InputStream in) throws Exception {
        try {
            while (in.read() != -1) {
                // a TLS client's hello, or a server's alert: skipped
            }
            return -1;
        } catch (SocketException reset) {
            return -1;
        }
    }

    /**
     * Waits until the server has no connection left, then checks that exactly one line was logged at INFO or
     * above, by anything, and that it contains each of {@code texts}.
     */
    private static void assertOneLine(WebSocketServer server, LogCapture log, String... texts) {
        Await.until("the server closed the connection and logged", () -> server.connectionCount() == 0
                && !log.lines().isEmpty());
        List<String> lines = log.lines();
        assertEquals(1, lines.size(), lines::toString);
        for (String text : texts) {
            assertTrue(lines.get(0).contains(text), lines.get(0));
        }
    }
}
