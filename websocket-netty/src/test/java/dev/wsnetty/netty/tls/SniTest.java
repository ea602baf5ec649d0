package dev.wsnetty.netty.tls;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import dev.wsnetty.netty.client.ClientHandshakeHandler;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.client.ClientHandshakeResult;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One TLS port, three certificates: the server picks the one for the host name the client sends as SNI
 * ({@code alpha.test} exactly, anything under {@code *.beta.test}), the default one for other names and for
 * clients sending none; the {@code Host} routing sends each name to its own handler.
 */
class SniTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static CertifiedKey localhost;
    private static CertifiedKey alpha;
    private static CertifiedKey beta;
    private static EventLoopGroup group;

    @BeforeAll
    static void setUp() {
        localhost = SelfSignedCertificates.localhost();
        alpha = SelfSignedCertificates.builder("alpha.test").ipAddresses().build();
        beta = SelfSignedCertificates.builder("beta.test").dnsNames("*.beta.test").ipAddresses().build();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void eachHostNameGetsItsOwnCertificateAndHandler(TlsProvider provider) throws Exception {
        TlsConfig settings = TlsConfig.builder().provider(provider).build();
        TlsServerConfig tls = TlsServerConfig.builder(localhost.serverContext(settings))
                .host("alpha.test", alpha.serverContext(settings))
                .host("*.beta.test", beta.serverContext(settings))
                .build();
        SslContext client = ClientTlsContexts.trusting(
                List.of(localhost.certificate(), alpha.certificate(), beta.certificate()), settings);
        try (WebSocketServerFixture server =
                     WebSocketServerFixture.builder().host("127.0.0.1").tls(tls).echo().start()) {
            int port = server.port();
            server.server().registerHandler("alpha.test:" + port, "/", server.echo("alpha:"), false, true);
            server.server().registerHandler("www.beta.test:" + port, "/", server.echo("beta:"), false, true);

            assertServed(server, connectAs(group, client, "alpha.test", port), "CN=alpha.test", "alpha:");
            assertServed(server, connectAs(group, client, "www.beta.test", port), "CN=beta.test", "beta:");
            // An IP address is never sent as SNI: the default certificate (it names 127.0.0.1) and handler.
            assertServed(server, connectAs(group, client, "127.0.0.1", port), "CN=localhost", "");

            // A name the server has no certificate for: the default one, which the client (checking names)
            // refuses for "gamma.test", and accepts when told not to check names.
            Exception refused = assertThrows(Exception.class, () -> connectAs(group, client, "gamma.test", port));
            assertTrue(String.valueOf(refused.getMessage()).contains("does not match the host name"),
                    refused::toString);
            SslContext unchecked = SslContextBuilder.forClient().sslProvider(provider.sslProvider())
                    .trustManager(localhost.certificate()).endpointIdentificationAlgorithm(null).build();
            assertServed(server, connectAs(group, unchecked, "gamma.test", port), "CN=localhost", "");
        }
    }

    @Test
    void contextsAreChosenByNameIgnoringCaseWithOneLabelWildcards() throws Exception {
        SslContext fallback = localhost.serverContext();
        SslContext a = alpha.serverContext();
        SslContext b = beta.serverContext();
        TlsServerConfig tls = TlsServerConfig.builder(fallback).host("Alpha.Test", a).host("*.beta.test", b).build();
        assertSame(a, tls.contextFor("alpha.test"));
        assertSame(a, tls.contextFor("ALPHA.TEST"));
        assertSame(b, tls.contextFor("www.beta.test"));
        assertSame(fallback, tls.contextFor("beta.test"));
        assertSame(fallback, tls.contextFor("a.www.beta.test"));
        assertSame(fallback, tls.contextFor(null));
        assertEquals(List.of("alpha.test", "*.beta.test"), List.copyOf(tls.hostContexts().keySet()));

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> TlsServerConfig.builder(fallback).host("alpha.test", a).host("ALPHA.test", a));
        assertTrue(twice.getMessage().contains("added already"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsServerConfig.builder(fallback).host("a.*.test", a));
        IllegalArgumentException client = assertThrows(IllegalArgumentException.class,
                () -> TlsServerConfig.of(localhost.trustingClientContext()));
        assertTrue(client.getMessage().contains("client context"), client.getMessage());
    }

    /**
     * Our client's handshake over TLS to a host name that does not resolve: the TCP connection goes to 127.0.0.1,
     * while the {@code SslHandler}'s peer host (sent as SNI, checked against the certificate) and the {@code Host}
     * header name {@code hostName}, as they would for a real virtual host.
     */
    private static Communicator connectAs(EventLoopGroup group, SslContext context, String hostName, int port)
            throws Exception {
        ClientHandshakeRequest request = ClientHandshakeRequest.builder(hostName).port(port).tls(true).build();
        CompletableFuture<ClientHandshakeResult> result = new CompletableFuture<>();
        CompletableFuture<Communicator> communicator = new CompletableFuture<>();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WebSocketPipeline.addClientTls(ch.pipeline(), context.newHandler(ch.alloc(), hostName, port));
                        WebSocketPipeline.addClientHandshake(ch.pipeline(), request.config(),
                                new ClientHandshakeHandler(request, result,
                                        p -> communicator.complete(NettyCommunicators.attach(p.channel()))));
                    }
                })
                .connect("127.0.0.1", port);
        assertTrue(result.get(10, TimeUnit.SECONDS).success(), () -> "handshake refused: " + result.join());
        return communicator.get(10, TimeUnit.SECONDS);
    }

    /**
     * The client saw {@code subject}'s certificate, the server's SslHandler is named {@value WebSocketPipeline#TLS},
     * the right handler echoes.
     */
    private static void assertServed(WebSocketServerFixture server, Communicator client, String subject, String prefix)
            throws Exception {
        try {
            SslHandler tls = client.unwrap(Channel.class).pipeline().get(SslHandler.class);
            X509Certificate peer = (X509Certificate) tls.engine().getSession().getPeerCertificates()[0];
            assertEquals(subject, peer.getSubjectX500Principal().getName());
            assertNotNull(server.nextConnection().tls(),
                    "the server's SslHandler is not named " + WebSocketPipeline.TLS);
            client.writeStringMessage("hi");
            assertEquals(prefix + "hi", client.waitForStringMessage(WAIT).data());
        } finally {
            client.close();
            client.awaitClose(WAIT);
        }
    }
}
