package dev.wsnetty.netty.client;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.tls.CertifiedKey;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wss: the connector's TLS wiring (peer host for SNI, certificate checked against the host) over real TLS sockets. */
class ClientTlsHandshakeTest {
    private static CertifiedKey localhost;
    private static EventLoopGroup group;

    @BeforeAll
    static void setUp() throws Exception {
        // The name only, no IP addresses: the tests connect to 127.0.0.1 to see host name verification fail.
        localhost = SelfSignedCertificates.builder("localhost").ipAddresses().build();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void wssHandshakeRunsOverTlsForTheRequestHost() throws Exception {
        try (ScriptedServer server = new ScriptedServer(tlsServerSocket(), ex -> {
            ex.send(ClientHandshakeTest.upgradeResponse(ex.key));
            ex.awaitClientClose();
        })) {
            ClientConnection connection = trustingConnector().connect(ClientHandshakeRequest.builder("localhost")
                    .tls(true).port(server.port()).path("/secure").build());

            ClientHandshakeResult result = connection.handshake().get(15, TimeUnit.SECONDS);
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
    void certificateIsCheckedAgainstTheRequestHost() throws Exception {
        // The certificate names only "localhost"; reaching the same server as 127.0.0.1 must fail.
        try (ScriptedServer server = new ScriptedServer(tlsServerSocket(), ex -> ex.awaitClientClose())) {
            ClientConnection connection = trustingConnector().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").tls(true).port(server.port()).build());
            WebSocketHandshakeException e = ClientHandshakeTest.handshakeError(connection,
                    WebSocketHandshakeException.class);
            assertTrue(e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + server.port() + " failed: "),
                    e.getMessage());
            // The JDK's host name check gives the reason, whichever TLS engine is used.
            assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                    e.getMessage());
            ClientHandshakeTest.assertClosed(connection.channel());
        }
    }

    @Test
    void untrustedCertificateIsATlsError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(tlsServerSocket(), ex -> ex.awaitClientClose())) {
            // The default context trusts the JDK's CAs only, not our self-signed certificate.
            ClientConnector connector = new ClientConnector(group, NioSocketChannel.class);
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("localhost").tls(true).port(server.port()).build());
            WebSocketHandshakeException e = ClientHandshakeTest.handshakeError(connection,
                    WebSocketHandshakeException.class);
            assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + server.port() + " failed: "),
                    e.getMessage());
            ClientHandshakeTest.assertClosed(connection.channel());
        }
    }

    private static ClientConnector trustingConnector() throws Exception {
        return new ClientConnector(group, NioSocketChannel.class, localhost.trustingClientContext(),
                Duration.ofSeconds(5));
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
