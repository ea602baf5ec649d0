package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.tls.CertifiedKey;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ws and wss through real proxies: Debian's tinyproxy for HTTP CONNECT (with basic authentication and a rule that
 * denies CONNECT to other ports), a SOCKS5 proxy on Netty's SOCKS codec, and broken proxies that drop the CONNECT or
 * never answer it. Each failure must name the proxy and say what it did.
 */
class ClientThroughProxyTest {
    private static final Duration WAIT = Await.DEADLINE;

    private static CertifiedKey localhost;

    private final EchoEndpoint echo = new EchoEndpoint();
    private final EchoEndpoint tlsEcho = new EchoEndpoint();
    private TestServer server;
    private TestServer tlsServer;

    @BeforeAll
    static void makeCertificate() throws Exception {
        localhost = SelfSignedCertificates.builder("localhost").ipAddresses().build();
    }

    @BeforeEach
    void startServers() throws Exception {
        server = TestServer.start(echo);
        tlsServer = TestServer.builder(TestServer.everywhere(tlsEcho).build()).tls(localhost.serverContext()).start();
    }

    @AfterEach
    void stopServers() {
        server.close();
        tlsServer.close();
    }

    // ---------------------------------------------------------------- HTTP CONNECT: tinyproxy

    @Test
    void wsGoesThroughAnHttpProxyWithBasicAuthentication() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start("alice", "s3cret", server.port())) {
            WebSocketClient client = WebSocketClient.of("ws://localhost:" + server.port() + "/chat?room=1");
            client.setProxy(ClientProxy.http("127.0.0.1", proxy.port()).withCredentials("alice", "s3cret"));
            Communicator communicator = client.connectOrThrow();
            try {
                assertEquals("/chat?room=1", echo.nextConnection().request().path());
                Channel channel = communicator.unwrap(Channel.class);
                assertInstanceOf(HttpProxyHandler.class, channel.pipeline().get(WebSocketPipeline.PROXY));
                communicator.writeStringMessage("through the tunnel");
                assertEquals("through the tunnel", communicator.waitForStringMessage(WAIT).data());
            } finally {
                communicator.close();
                assertNotNull(communicator.awaitClose(WAIT));
            }
            // The proxy, not the client, resolved the server's name.
            assertTrue(proxy.log().contains("CONNECT localhost:" + server.port() + " "), proxy.log());
        }
    }

    @Test
    void wssRunsTlsInsideTheTunnelAgainstTheServersName() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start(null, null, tlsServer.port())) {
            WebSocketClient client = WebSocketClient.of("wss://localhost:" + tlsServer.port() + "/secure");
            client.setProxy(ClientProxy.http("127.0.0.1", proxy.port()));
            Communicator communicator = client.connectOrThrow(localhost.trustingClientContext());
            try {
                assertEquals("/secure", tlsEcho.nextConnection().request().path());
                List<String> names = communicator.unwrap(Channel.class).pipeline().names();
                int proxyIndex = names.indexOf(WebSocketPipeline.PROXY);
                assertTrue(proxyIndex >= 0 && proxyIndex < names.indexOf(WebSocketPipeline.TLS), names.toString());
                communicator.writeStringMessage("TLS in the tunnel");
                assertEquals("TLS in the tunnel", communicator.waitForStringMessage(WAIT).data());
            } finally {
                communicator.close();
                assertNotNull(communicator.awaitClose(WAIT));
            }
            assertTrue(proxy.log().contains("CONNECT localhost:" + tlsServer.port() + " "), proxy.log());
        }
    }

    @Test
    void missingCredentialsGiveTheProxysStatus407() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start("alice", "s3cret", server.port())) {
            WebSocketClient client = new WebSocketClient("localhost", server.port());
            client.setProxy(ClientProxy.http("127.0.0.1", proxy.port()));
            WebSocketProxyException e = assertThrows(WebSocketProxyException.class, client::connect);
            assertEquals("HTTP proxy 127.0.0.1:" + proxy.port() + " refused the CONNECT to localhost:" + server.port()
                    + ": 407 Proxy Authentication Required", e.getMessage());
            assertEquals(ClientProxy.http("127.0.0.1", proxy.port()), e.proxy());

            client.setProxy(ClientProxy.http("127.0.0.1", proxy.port()).withCredentials("alice", "wrong"));
            e = assertThrows(WebSocketProxyException.class, client::connect);
            // tinyproxy answers wrong credentials with 401, not 407.
            assertEquals("HTTP proxy 127.0.0.1:" + proxy.port() + " as alice refused the CONNECT to localhost:"
                    + server.port() + ": 401 Unauthorized", e.getMessage());
        }
    }

    @Test
    void aDenyingProxyGivesItsStatusAndReason() throws Exception {
        int otherPort = server.port() == 9 ? 10 : 9;
        try (Tinyproxy proxy = Tinyproxy.start(null, null, otherPort)) {
            WebSocketClient client = new WebSocketClient("localhost", server.port());
            client.setProxy(ClientProxy.http("127.0.0.1", proxy.port()));
            WebSocketProxyException e = assertThrows(WebSocketProxyException.class, client::connectOrThrow);
            assertEquals("HTTP proxy 127.0.0.1:" + proxy.port() + " refused the CONNECT to localhost:" + server.port()
                    + ": 403 Access violation", e.getMessage());
        }
    }

    @Test
    void anUnreachableProxyIsNamed() throws Exception {
        int closedPort = closedPort();
        WebSocketClient client = new WebSocketClient("localhost", server.port());
        client.setProxy(ClientProxy.http("127.0.0.1", closedPort));
        WebSocketProxyException e = assertThrows(WebSocketProxyException.class, client::connect);
        assertTrue(e.getMessage().startsWith("cannot connect to HTTP proxy 127.0.0.1:" + closedPort
                + " (on the way to localhost:" + server.port() + "): "), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());

        client.setProxy(ClientProxy.http("proxy.invalid", 3128));
        e = assertThrows(WebSocketProxyException.class, client::connect);
        assertTrue(e.getMessage().startsWith("cannot connect to HTTP proxy proxy.invalid:3128 (on the way to localhost:"
                + server.port() + "): "), e.getMessage());
    }

    // ---------------------------------------------------------------- broken proxies

    @Test
    void aProxyThatDropsTheConnectIsReported() throws Exception {
        try (SilentConnectProxy proxy = SilentConnectProxy.dropping()) {
            WebSocketClient client = new WebSocketClient("localhost", server.port());
            client.setProxy(ClientProxy.http("127.0.0.1", proxy.port()));
            WebSocketProxyException e = assertThrows(WebSocketProxyException.class, client::connect);
            assertEquals("HTTP proxy 127.0.0.1:" + proxy.port() + " closed the connection before answering the CONNECT"
                    + " to localhost:" + server.port(), e.getMessage());
            assertEquals("CONNECT localhost:" + server.port(), proxy.nextRequest());

            // The same over wss: TLS waits inside the tunnel that never opens.
            e = assertThrows(WebSocketProxyException.class, () -> client.connect(localhost.trustingClientContext()));
            assertTrue(e.getMessage().contains(" closed the connection before answering the CONNECT"), e.getMessage());
        }
    }

    @Test
    void aProxyThatNeverAnswersTimesOutWithTheHandshake() throws Exception {
        try (SilentConnectProxy proxy = SilentConnectProxy.neverAnswering()) {
            WebSocketClient client = new WebSocketClient("localhost", server.port());
            client.setProxy(ClientProxy.http("127.0.0.1", proxy.port()));
            client.setHandshakeTimeout(Duration.ofMillis(300));
            WebSocketProxyException e = assertThrows(WebSocketProxyException.class, client::connect);
            assertEquals("HTTP proxy 127.0.0.1:" + proxy.port() + " did not answer the CONNECT to localhost:"
                    + server.port() + " within 300 ms", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- SOCKS5

    @Test
    void wsAndWssGoThroughASocks5ProxyWhichResolvesTheName() throws Exception {
        try (Socks5TestProxy proxy = new Socks5TestProxy(null, null)) {
            WebSocketClient client = new WebSocketClient("localhost", server.port(), "/socks");
            client.setProxy(ClientProxy.socks5("127.0.0.1", proxy.port()));
            Communicator communicator = client.connectOrThrow();
            try {
                assertEquals("DOMAIN(3) localhost:" + server.port(), proxy.nextDestination());
                assertInstanceOf(Socks5ProxyHandler.class,
                        communicator.unwrap(Channel.class).pipeline().get(WebSocketPipeline.PROXY));
                communicator.writeStringMessage("socks");
                assertEquals("socks", communicator.waitForStringMessage(WAIT).data());
            } finally {
                communicator.close();
                assertNotNull(communicator.awaitClose(WAIT));
            }

            WebSocketClient secure = WebSocketClient.of("wss://localhost:" + tlsServer.port() + "/");
            secure.setProxy(ClientProxy.socks5("127.0.0.1", proxy.port()));
            communicator = secure.connectOrThrow(localhost.trustingClientContext());
            try {
                communicator.writeStringMessage("socks and TLS");
                assertEquals("socks and TLS", communicator.waitForStringMessage(WAIT).data());
            } finally {
                communicator.close();
                assertNotNull(communicator.awaitClose(WAIT));
            }
        }
    }

    @Test
    void socks5AuthenticatesAndReportsRefusals() throws Exception {
        try (Socks5TestProxy proxy = new Socks5TestProxy("bob", "pw")) {
            WebSocketClient client = new WebSocketClient("localhost", server.port());
            client.setProxy(ClientProxy.socks5("127.0.0.1", proxy.port()).withCredentials("bob", "pw"));
            Communicator communicator = client.connectOrThrow();
            communicator.close();
            assertNotNull(communicator.awaitClose(WAIT));

            client.setProxy(ClientProxy.socks5("127.0.0.1", proxy.port()).withCredentials("bob", "nope"));
            WebSocketProxyException e = assertThrows(WebSocketProxyException.class, client::connect);
            assertTrue(e.getMessage().startsWith("SOCKS5 proxy 127.0.0.1:" + proxy.port() + " as bob refused the"
                    + " credentials for the connection to localhost:" + server.port()), e.getMessage());

            WebSocketClient forbidden = new WebSocketClient(Socks5TestProxy.FORBIDDEN_HOST, 80);
            forbidden.setProxy(ClientProxy.socks5("127.0.0.1", proxy.port()).withCredentials("bob", "pw"));
            e = assertThrows(WebSocketProxyException.class, forbidden::connect);
            assertTrue(e.getMessage().startsWith("SOCKS5 proxy 127.0.0.1:" + proxy.port() + " as bob refused the"
                    + " connection to forbidden.invalid:80: FORBIDDEN"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- choosing the proxy

    @Test
    void systemPropertiesAreUsedOnlyWhenAskedFor() throws Exception {
        try (SilentConnectProxy dropping = SilentConnectProxy.dropping();
             Tinyproxy proxy = Tinyproxy.start("alice", "s3cret", server.port())) {
            String[] keys = {"http.proxyHost", "http.proxyPort", "http.nonProxyHosts"};
            String[] saved = new String[keys.length];
            for (int i = 0; i < keys.length; i++) {
                saved[i] = System.getProperty(keys[i]);
            }
            try {
                System.setProperty("http.proxyHost", "127.0.0.1");
                System.setProperty("http.proxyPort", String.valueOf(dropping.port()));
                System.setProperty("http.nonProxyHosts", "");
                WebSocketClient client = new WebSocketClient("localhost", server.port());
                closeAfterEcho(client.connectOrThrow()); // not asked for: direct

                client.setProxySelector(ClientProxySelector.systemProperties());
                WebSocketProxyException e = assertThrows(WebSocketProxyException.class, client::connect);
                assertTrue(e.getMessage().contains("closed the connection before answering"), e.getMessage());

                System.setProperty("http.nonProxyHosts", "example.com|local*");
                closeAfterEcho(client.connectOrThrow()); // a non-proxy host: direct

                System.setProperty("http.proxyPort", String.valueOf(proxy.port()));
                System.setProperty("http.nonProxyHosts", "");
                client.setProxySelector(ClientProxySelector.systemProperties().withCredentials("alice", "s3cret"));
                closeAfterEcho(client.connectOrThrow());
                assertTrue(proxy.log().contains("CONNECT localhost:" + server.port() + " "), proxy.log());
            } finally {
                for (int i = 0; i < keys.length; i++) {
                    if (saved[i] == null) {
                        System.clearProperty(keys[i]);
                    } else {
                        System.setProperty(keys[i], saved[i]);
                    }
                }
            }
        }
    }

    @Test
    void aJdkProxySelectorIsAskedWithTheHttpCounterpartOfTheUri() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start(null, null, server.port())) {
            List<java.net.URI> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.net.ProxySelector selector = new java.net.ProxySelector() {
                @Override
                public List<java.net.Proxy> select(java.net.URI uri) {
                    asked.add(uri);
                    return List.of(new java.net.Proxy(java.net.Proxy.Type.HTTP,
                            java.net.InetSocketAddress.createUnresolved("127.0.0.1", proxy.port())));
                }

                @Override
                public void connectFailed(java.net.URI uri, java.net.SocketAddress sa, IOException ioe) {
                }
            };
            WebSocketClient client = WebSocketClient.of("ws://localhost:" + server.port() + "/path?q");
            client.setProxySelector(ClientProxySelector.of(selector));
            closeAfterEcho(client.connectOrThrow());
            assertEquals(List.of(java.net.URI.create("http://localhost:" + server.port())), asked);
            assertTrue(proxy.log().contains("CONNECT localhost:" + server.port() + " "), proxy.log());
        }
    }

    private static void closeAfterEcho(Communicator communicator) throws IOException {
        try {
            communicator.writeStringMessage("ping");
            assertEquals("ping", communicator.waitForStringMessage(WAIT).data());
        } finally {
            communicator.close();
            assertNotNull(communicator.awaitClose(WAIT));
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
