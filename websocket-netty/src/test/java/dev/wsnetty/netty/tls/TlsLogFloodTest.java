package dev.wsnetty.netty.tls;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many failed TLS handshakes at once (idle connections timing out, plain text on the TLS port) write a bounded
 * number of log lines, each without a stack trace: a hostile client cannot flood the log.
 */
@Tag(Hostile.TAG)
class TlsLogFloodTest {
    private static final int CONNECTIONS = Hostile.size(100, 2000);
    private static CertifiedKey localhost;

    @BeforeAll
    static void certificate() throws Exception {
        localhost = SelfSignedCertificates.localhost();
        localhost.serverContext(); // logs the provider choice now, so that line is not counted below
    }

    @Test
    void idleConnectionsTimingOutWriteABoundedNumberOfLines() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().handshakeTimeout(Duration.ofMillis(300)).build();
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().host("localhost")
                .tls(TlsServerConfig.of(localhost.serverContext())).configure(s -> s.setConfig(config)).echo().start();
             LogCapture log = new LogCapture("", Level.INFO)) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    if (i % 2 == 1) {
                        // A plain-text client on the TLS port: another kind of failure, its own line.
                        OutputStream out = socket.getOutputStream();
                        out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    sockets.add(socket);
                }
                Await.until("the server closed every connection", () -> server.server().connectionCount() == 0);
            } finally {
                for (Socket socket : sockets) {
                    close(socket);
                }
            }
            List<String> lines = log.lines();
            System.out.println(CONNECTIONS + " failed TLS handshakes wrote " + lines.size() + " lines");
            assertTrue(lines.size() <= 2, CONNECTIONS + " failures wrote " + lines.size() + " lines: "
                    + lines.subList(0, Math.min(6, lines.size())));
            for (String line : lines) {
                assertTrue(!line.contains(" ["), "no stack trace: " + line);
            }
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket the server already closed
        }
    }
}
