package dev.wsnetty.netty.server;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.spi.QueuedCommunicator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link WebSocketServer} speaking wss with a self-signed certificate made at test time, talked to by our own
 * client connector with the adapter on the client side too.
 */
class TlsServerTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void echoesOverTls() throws Exception {
        KeyStore keyStore = selfSigned(dir.resolve("localhost.p12"));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SslContext serverTls = SslContextBuilder.forServer(keys).build();
        SslContext clientTls = SslContextBuilder.forClient()
                .trustManager((X509Certificate) keyStore.getCertificate("localhost")).build();

        WebSocketServer server = new WebSocketServer("127.0.0.1", 0, serverTls);
        server.registerHandler("*", "*", HandlerKind.THREADED.create(c -> {
            StringMessage m;
            while ((m = c.waitForStringMessage()) != null) {
                c.writeStringMessage("secure " + m.data());
            }
        }), true, true);
        server.bind();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            ClientConnector connector = new ClientConnector(group, NioSocketChannel.class, clientTls, WAIT);
            CompletableFuture<QueuedCommunicator> attached = new CompletableFuture<>();
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("localhost").port(server.port()).tls(true).build(),
                    pipeline -> attached.complete(NettyCommunicators.attach(pipeline.channel())));
            assertTrue(connection.handshake().get(10, TimeUnit.SECONDS).success());
            Communicator client = attached.get(10, TimeUnit.SECONDS);

            client.writeStringMessage("hello");
            assertEquals(new StringMessage("secure hello"), client.waitForStringMessage(WAIT));
            client.close(1000, "done");
            // The status is the server's answer, which echoes the code.
            assertEquals(new CloseStatus(1000, ""), client.awaitClose(WAIT));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            server.stop();
        }
    }

    /** A throw-away self-signed certificate for localhost, made with the JDK's keytool. */
    private static KeyStore selfSigned(Path store) throws Exception {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), output);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        return keyStore;
    }
}
