package dev.wsnetty.netty.server;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.tls.CertifiedKey;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import dev.wsnetty.spi.QueuedCommunicator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link WebSocketServer} speaking wss with a self-signed certificate made by {@link SelfSignedCertificates}, talked to by our own
 * client connector with the adapter on the client side too.
 */
class TlsServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void echoesOverTls() throws Exception {
        CertifiedKey localhost = SelfSignedCertificates.localhost();
        SslContext serverTls = localhost.serverContext();
        SslContext clientTls = localhost.trustingClientContext();

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
}
