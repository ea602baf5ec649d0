package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.tls.CertifiedKey;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * wss: the client's TLS over real sockets, with a self-signed certificate for "localhost" (the name only, no IP
 * addresses, so that reaching the server as 127.0.0.1 fails host name verification). The connector's wiring (the
 * engine's peer host, sent as SNI and checked against the certificate) against a {@link ScriptedServer} on a TLS
 * socket, and {@link WebSocketClient}'s contexts against our own server behind TLS.
 */
class ClientTlsTest {
    private static final Duration WAIT = Await.DEADLINE;

    private static CertifiedKey localhost;
    private static final EchoEndpoint echo = new EchoEndpoint();
    private static TestServer server;

    @BeforeAll
    static void startTlsServer() throws Exception {
        localhost = SelfSignedCertificates.builder("localhost").ipAddresses().build();
        server = TestServer.builder(TestServer.everywhere(echo).build()).tls(localhost.serverContext()).start();
    }

    @AfterAll
    static void stopTlsServer() {
        server.close();
    }

    @Test
    void wssHandshakeRunsOverTlsForTheRequestHost() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(tlsServerSocket(), ex -> {
            ex.send(ex.switching());
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.with(localhost.trustingClientContext(), WAIT).connect(
                    ClientHandshakeRequest.builder("localhost").tls(true).port(server.port()).path("/secure").build());

            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(result.success(), result.toString());
            String head = server.takeRequest();
            assertTrue(head.startsWith("GET /secure HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n"), head);
            // The engine's peer host is what goes out as SNI (for dotted names; "localhost" has none, so the
            // wire cannot show it on loopback) and what the certificate is checked against.
            SslHandler tls = (SslHandler) connection.channel().pipeline().get(WebSocketPipeline.TLS);
            assertEquals("localhost", tls.engine().getPeerHost());
            assertEquals(server.port(), tls.engine().getPeerPort());
            connection.channel().close().syncUninterruptibly();
        }
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
            assertEquals("/", echo.nextConnection().request().path());
            communicator.writeStringMessage("still TLS");
            assertEquals("still TLS", communicator.waitForStringMessage(WAIT).data());
        } finally {
            communicator.close();
            assertNotNull(communicator.awaitClose(WAIT));
        }
    }

    /** The certificate names "localhost" only; the same server reached as 127.0.0.1 must be refused. */
    @Test
    void hostNameIsVerifiedAgainstTheCertificate() throws Exception {
        ClientConnection connection = Connectors.with(localhost.trustingClientContext(), WAIT).connect(
                ClientHandshakeRequest.builder("127.0.0.1").tls(true).port(server.port()).build());
        WebSocketHandshakeException e = Connectors.handshakeError(connection, WebSocketHandshakeException.class);
        assertTrue(e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + server.port() + " failed: "),
                e.getMessage());
        // The JDK's host name check gives the reason, whichever TLS engine is used.
        assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                e.getMessage());
        Connectors.assertClosed(connection.channel());

        WebSocketClient client = WebSocketClient.of("wss://127.0.0.1:" + server.port() + "/");
        WebSocketHandshakeException thrown = assertThrows(WebSocketHandshakeException.class,
                () -> client.connect(localhost.trustingClientContext()));
        assertTrue(thrown.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                thrown.getMessage());
    }

    /** The default context trusts the JDK's (the system's) CAs only, not a self-signed certificate. */
    @Test
    void defaultContextRejectsAnUntrustedCertificate() {
        ClientConnection connection = Connectors.plain().connect(
                ClientHandshakeRequest.builder("localhost").tls(true).port(server.port()).build());
        WebSocketHandshakeException e = Connectors.handshakeError(connection, WebSocketHandshakeException.class);
        assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + server.port() + " failed: "),
                e.getMessage());
        Connectors.assertClosed(connection.channel());

        WebSocketClient client = WebSocketClient.of("wss://localhost:" + server.port() + "/");
        WebSocketHandshakeException thrown = assertThrows(WebSocketHandshakeException.class, client::connect);
        assertTrue(thrown.getMessage().startsWith("TLS handshake with localhost:" + server.port() + " failed: "),
                thrown.getMessage());
    }

    @Test
    void serverContextIsRejected() throws Exception {
        SslContext serverSide = localhost.serverContext();
        WebSocketClient client = new WebSocketClient("localhost", server.port());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.connect(serverSide));
        assertTrue(e.getMessage().contains("server context"), e.getMessage());
    }

    private static SSLServerSocket tlsServerSocket() throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("localhost", localhost.privateKey(), password,
                localhost.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }
}
