package dev.wsnetty.netty.tls;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import io.netty.channel.Channel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our client and our server talk WebSocket through TLS with each provider and each protocol version: text,
 * binary, and messages fragmented both ways (text split inside multi-byte characters), with ALPN
 * {@code http/1.1} negotiated and the asked-for provider's engine on both sides.
 */
class TlsEchoTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static CertifiedKey localhost;

    @BeforeAll
    static void certificate() {
        // The build ships the Linux x86-64 BoringSSL library: on the build machines it must load.
        assertTrue(OpenSsl.isAvailable(), () -> "OpenSSL did not load: " + OpenSsl.unavailabilityCause());
        localhost = SelfSignedCertificates.localhost();
    }

    static Stream<Arguments> providersAndVersions() {
        return Stream.of(TlsProvider.OPENSSL, TlsProvider.JDK).flatMap(provider ->
                Stream.of(TlsConfig.TLS_1_2, TlsConfig.TLS_1_3).map(version -> Arguments.of(provider, version)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndVersions")
    void echoesTextBinaryAndFragmentedMessages(TlsProvider provider, String version) throws Exception {
        TlsConfig settings = TlsConfig.builder().provider(provider).protocols(version).build();
        try (WebSocketServerFixture server = WebSocketServerFixture.tlsEcho(
                TlsServerConfig.of(localhost.serverContext(settings)))) {
            Communicator client = WebSocketClient.of("wss://localhost:" + server.port() + "/echo")
                    .connectOrThrow(localhost.trustingClientContext(settings));
            try {
                SslHandler clientTls = client.unwrap(Channel.class).pipeline().get(SslHandler.class);
                SslHandler serverTls = server.nextConnection().tls();
                assertNotNull(serverTls, "the server saw no upgraded connection");
                for (SslHandler tls : new SslHandler[] {clientTls, serverTls}) {
                    assertEquals(version, tls.engine().getSession().getProtocol());
                    assertEquals("http/1.1", tls.applicationProtocol());
                    assertEquals(provider == TlsProvider.OPENSSL, tls.engine() instanceof ReferenceCountedOpenSslEngine,
                            tls.engine().getClass().getName());
                }

                client.writeStringMessage("hello");
                assertEquals(new StringMessage("hello"), client.waitForStringMessage(WAIT));
                byte[] small = {0, 1, 2, (byte) 0xFF};
                client.writeBinaryMessage(small);
                assertArrayEquals(small, client.waitForBinaryMessage(WAIT).data());

                // 3-byte characters in 7-byte frames: most frames end inside a character.
                String text = "€uro ".repeat(400);
                try (MessageOutputStream out = client.writeMessage(MessageType.STRING, 7)) {
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                }
                assertEquals(new StringMessage(text), client.waitForStringMessage(WAIT));
                byte[] large = new byte[70_000];
                new Random(6).nextBytes(large);
                try (MessageOutputStream out = client.writeMessage(MessageType.BINARY, 16_000)) {
                    out.write(large);
                }
                BinaryMessage echoed = client.waitForBinaryMessage(WAIT);
                assertNotNull(echoed, "no binary echo");
                assertArrayEquals(large, echoed.data());
            } finally {
                client.close(1000, "done");
                assertEquals(new CloseStatus(1000, ""), client.awaitClose(WAIT));
            }
        }
    }
}
