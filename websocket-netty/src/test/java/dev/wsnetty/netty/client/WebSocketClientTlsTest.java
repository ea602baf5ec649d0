package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.tls.CertifiedKey;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wss with {@link WebSocketClient} against our server behind TLS, with a self-signed certificate for "localhost". */
class WebSocketClientTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static CertifiedKey localhost;
    private static final EchoEndpoint echo = new EchoEndpoint();
    private static TestServer server;

    @BeforeAll
    static void startTlsServer() throws Exception {
        // The name only, no IP addresses: the tests connect to 127.0.0.1 to see host name verification fail.
        localhost = SelfSignedCertificates.builder("localhost").ipAddresses().build();
        server = TestServer.builder(TestServer.everywhere(echo).build()).tls(localhost.serverContext()).start();
    }

    @AfterAll
    static void stopTlsServer() {
        server.close();
    }

    @Test
    void wssUriWithAGivenContextTalksOverTls() throws Exception {
        WebSocketClient client = WebSocketClient.of("wss://localhost:" + server.port() + "/secure?x=1");
        Communicator communicator = client.connect(localhost.trustingClientContext());
        assertNotNull(communicator);
        try {
            assertEquals("/secure?x=1", echo.nextConnection().request().path());
            SslHandler tls = communicator.unwrap(Channel.class).pipeline().get(SslHandler.class);
            assertNotNull(tls, "no TLS on the connection");
            assertEquals("localhost", tls.engine().getPeerHost()); // checked against the certificate, sent as SNI
            communicator.writeStringMessage("over TLS");
            assertEquals("over TLS", communicator.waitForStringMessage(WAIT).data());
        } finally {
            communicator.close();
            assertNotNull(communicator.awaitClose(WAIT));
        }
    }

    @Test
    void givenContextIsUsedEvenForAWsUri() throws Exception {
        Communicator communicator = new WebSocketClient("localhost", server.port())
                .connectOrThrow(localhost.trustingClientContext());
        try {
            assertNotNull(communicator.unwrap(Channel.class).pipeline().get(SslHandler.class));
            communicator.writeStringMessage("still TLS");
            assertEquals("still TLS", communicator.waitForStringMessage(WAIT).data());
        } finally {
            communicator.close();
            assertNotNull(communicator.awaitClose(WAIT));
        }
    }

    @Test
    void defaultContextRejectsAnUntrustedCertificate() {
        // The default context trusts the system's CAs only, not a self-signed certificate.
        WebSocketClient client = WebSocketClient.of("wss://localhost:" + server.port() + "/");
        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class, client::connect);
        assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + server.port() + " failed: "),
                e.getMessage());
    }

    @Test
    void hostNameIsVerifiedAgainstTheCertificate() {
        // The certificate names "localhost" only; the same server reached as 127.0.0.1 must be refused.
        WebSocketClient client = WebSocketClient.of("wss://127.0.0.1:" + server.port() + "/");
        WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class,
                () -> client.connect(localhost.trustingClientContext()));
        assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                e.getMessage());
    }

    @Test
    void serverContextIsRejected() throws Exception {
        SslContext serverSide = localhost.serverContext();
        WebSocketClient client = new WebSocketClient("localhost", server.port());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.connect(serverSide));
        assertTrue(e.getMessage().contains("server context"), e.getMessage());
    }
}
