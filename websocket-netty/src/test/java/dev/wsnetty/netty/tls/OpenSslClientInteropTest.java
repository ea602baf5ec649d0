package dev.wsnetty.netty.tls;

import dev.wsnetty.netty.testing.WebSocketServerFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A non-Java TLS client, {@code openssl s_client}, against our server with each provider and protocol version:
 * it verifies our self-signed certificate for {@code localhost} with OpenSSL's own verifier, negotiates ALPN
 * {@code http/1.1}, then over its stdin/stdout we send the WebSocket upgrade (read the 101), a masked text frame
 * (read its echo) and a Close (read the server's Close).
 */
class OpenSslClientInteropTest {
    /** The sample key of RFC 6455 §1.3 and its accept value. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final byte[] MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

    @TempDir
    static Path dir;
    private static CertifiedKey localhost;
    private static Path certificate;

    @BeforeAll
    static void certificate() throws Exception {
        localhost = SelfSignedCertificates.localhost();
        certificate = dir.resolve("localhost.pem");
        localhost.writePem(certificate, dir.resolve("localhost-key.pem"));
    }

    static Stream<Arguments> providersAndVersions() {
        return Stream.of(TlsProvider.OPENSSL, TlsProvider.JDK).flatMap(provider ->
                Stream.of("-tls1_2", "-tls1_3").map(version -> Arguments.of(provider, version)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndVersions")
    void sClientCompletesTheTlsHandshakeAndTheUpgrade(TlsProvider provider, String version) throws Exception {
        TlsConfig settings = TlsConfig.builder().provider(provider).build();
        try (WebSocketServerFixture server = WebSocketServerFixture.tlsEcho(
                TlsServerConfig.of(localhost.serverContext(settings)))) {
            Process sClient = new ProcessBuilder(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                    "-servername", "localhost", "-CAfile", certificate.toString(), "-verify_return_error",
                    "-verify_hostname", "localhost", "-alpn", "http/1.1", version, "-ign_eof", "-nocommands"))
                    .redirectErrorStream(true).start();
            Output output = new Output(sClient.getInputStream());
            try {
                output.await("Verify return code: 0 (ok)");
                output.await("ALPN protocol: http/1.1");
                output.await(version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2");

                OutputStream in = sClient.getOutputStream();
                in.write(("GET /chat HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                in.flush();
                output.await("HTTP/1.1 101 Switching Protocols");
                output.await("Sec-WebSocket-Accept: " + ACCEPT + "\r\n");

                in.write(maskedFrame(0x81, "hi over openssl".getBytes(StandardCharsets.US_ASCII)));
                in.flush();
                output.await("\u0081\u000Fhi over openssl");
                in.write(maskedFrame(0x88, new byte[] {0x03, (byte) 0xE8}));
                in.flush();
                output.await("\u0088\u0002\u0003\u00E8");
                // After the Close the server ends the connection, which ends s_client.
                assertTrue(sClient.waitFor(10, TimeUnit.SECONDS), "s_client still runs: " + output);
            } finally {
                sClient.destroyForcibly();
            }
        }
    }

    private static byte[] maskedFrame(int firstByte, byte[] payload) {
        byte[] frame = new byte[2 + MASK.length + payload.length];
        frame[0] = (byte) firstByte;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(MASK, 0, frame, 2, MASK.length);
        for (int i = 0; i < payload.length; i++) {
            frame[2 + MASK.length + i] = (byte) (payload[i] ^ MASK[i % 4]);
        }
        return frame;
    }

    /** Everything a process writes, collected by a daemon thread, searchable as ISO-8859-1 text (bytes as chars). */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Output(InputStream in) {
            Thread pump = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n; (n = in.read(buffer)) != -1; ) {
                        synchronized (bytes) {
                            bytes.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "s_client-output");
            pump.setDaemon(true);
            pump.start();
        }

        void await(String text) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!toString().contains(text)) {
                if (System.nanoTime() - end > 0) {
                    fail("s_client did not print \"" + text + "\" within 10 s; it printed:\n" + this);
                }
                LockSupport.parkNanos(1_000_000);
            }
        }

        @Override
        public String toString() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }
}
