package dev.wsnetty.netty.deflate;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.client.ClientHandshakeResult;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.spi.QueuedCommunicator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate negotiated over real sockets: the exact 101 our server answers Chromium's offer with, and our
 * client against our server in every pair of modes, with the agreement each channel records. Until the codec is in
 * the pipeline the echo message is small enough to go uncompressed either way.
 */
class DeflateHandshakeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHROMIUM_OFFER = "permessage-deflate; client_max_window_bits";
    private static EventLoopGroup group;

    @BeforeAll
    static void startClientEventLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopClientEventLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT.toMillis());
    }

    private static WebSocketConfig config(CompressionMode mode) {
        return WebSocketConfig.builder().compression(mode).build();
    }

    @ParameterizedTest(name = "{0} server answers Chromium''s offer with {1}")
    @CsvSource(delimiter = '|', value = {
            "LEAN             | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            "CONTEXT_TAKEOVER | permessage-deflate",
    })
    void chromiumsOfferIsAnsweredAfterTheAccept(CompressionMode mode, String answer) throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.start(echo, config(mode));
             RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").header("Sec-WebSocket-Extensions", CHROMIUM_OFFER).toString());
            assertEquals(UpgradeRequest.SWITCHING.replace("\r\n\r\n",
                    "\r\nSec-WebSocket-Extensions: " + answer + "\r\n\r\n"), client.readHead());
            DeflateParameters expected = mode == CompressionMode.LEAN ? DeflateParameters.lean()
                    : DeflateParameters.contextTakeover();
            assertEquals(Optional.of(expected), DeflateAgreement.of(echo.nextConnection().channel()));
        }
    }

    @Test
    void aServerWithCompressionOffAnswersNoExtension() throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.start(echo, config(CompressionMode.OFF));
             RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").header("Sec-WebSocket-Extensions", CHROMIUM_OFFER).toString());
            assertEquals(UpgradeRequest.SWITCHING, client.readHead());
            assertEquals(Optional.empty(), DeflateAgreement.of(echo.nextConnection().channel()));
        }
    }

    @Test
    void aDefaultServerAnswersChromiumsOfferLean() throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.start(echo);
             RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").header("Sec-WebSocket-Extensions", CHROMIUM_OFFER).toString());
            assertEquals(UpgradeRequest.SWITCHING.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate;"
                    + " server_no_context_takeover; client_no_context_takeover\r\n\r\n"), client.readHead());
            assertEquals(Optional.of(DeflateParameters.lean()), DeflateAgreement.of(echo.nextConnection().channel()));
        }
    }

    @ParameterizedTest(name = "client {0}, server {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "LEAN             | LEAN             | permessage-deflate; server_no_context_takeover; client_no_context_takeover | true true",
            "CONTEXT_TAKEOVER | CONTEXT_TAKEOVER | permessage-deflate                                                         | false false",
            "LEAN             | CONTEXT_TAKEOVER | permessage-deflate; server_no_context_takeover; client_no_context_takeover | true true",
            "CONTEXT_TAKEOVER | LEAN             | permessage-deflate; server_no_context_takeover; client_no_context_takeover | true true",
            "LEAN             | OFF              | none | none",
            "OFF              | LEAN             | none | none",
    })
    void ourClientAndServerAgree(CompressionMode clientMode, CompressionMode serverMode, String answer,
                                 String contextTakeover) throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.start(echo, config(serverMode))) {
            CompletableFuture<QueuedCommunicator> attached = new CompletableFuture<>();
            ClientConnection connection = new ClientConnector(group, NioSocketChannel.class).connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).config(config(clientMode)).build(),
                    pipeline -> attached.complete(NettyCommunicators.attach(pipeline.channel())));
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(result.success(), result::toString);
            Optional<DeflateParameters> expected = Optional.empty();
            if (answer.equals("none")) {
                assertNull(result.headers().get("Sec-WebSocket-Extensions"));
            } else {
                assertEquals(answer, result.headers().get("Sec-WebSocket-Extensions"));
                boolean noContext = contextTakeover.startsWith("true");
                expected = Optional.of(new DeflateParameters(noContext, noContext, 15, 15));
            }
            assertEquals(expected, DeflateAgreement.of(connection.channel()), "client's agreement");
            assertEquals(expected, DeflateAgreement.of(echo.nextConnection().channel()), "server's agreement");

            Communicator client = attached.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            client.writeStringMessage("small and uncompressed");
            assertEquals(new StringMessage("small and uncompressed"), client.waitForStringMessage(WAIT));
            client.close();
            assertNotNull(client.awaitClose(WAIT), "the connection did not close");
        }
    }
}
