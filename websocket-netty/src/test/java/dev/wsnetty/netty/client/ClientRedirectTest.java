package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.HandshakeResponse;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.tls.CertifiedKey;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redirects of the upgrade request over real loopback sockets: raw servers answering 30x in front of our own
 * {@code WebSocketServer} or a raw server that upgrades, checking what each server was asked.
 */
class ClientRedirectTest {
    private static final Duration WAIT = Await.DEADLINE;

    /** A script that answers {@code status} with {@code location} and no body. */
    private static ScriptedServer.Script redirect(int status, String location) {
        return ex -> {
            ex.send("HTTP/1.1 " + status + " Moved\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n");
            ex.awaitClientClose();
        };
    }

    /** A script that upgrades, then finishes the closing handshake the client starts. */
    private static void upgrade(ScriptedServer.Exchange ex) throws Exception {
        ex.send(ex.switching());
        ex.answerClose();
    }

    @Test
    void byDefaultARedirectIsARefusalThatSaysWhereItPoints() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(redirect(302, "/elsewhere?x=1"))) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port(), "/chat");
            assertEquals(RedirectPolicy.NONE, client.getRedirectPolicy());
            EventRecorder<HandshakeResponse> refusals = new EventRecorder<>("refusal");
            client.setOnHandshakeFailure((c, response) -> refusals.record(response));

            assertNull(client.connect());
            HandshakeResponse event = refusals.next();
            assertEquals(302, event.statusCode());
            assertEquals("/elsewhere?x=1", event.header("Location"));

            WebSocketHandshakeRefusedException e =
                    assertThrows(WebSocketHandshakeRefusedException.class, client::connectOrThrow);
            assertEquals(302, e.statusCode());
            assertEquals("server answered 302 Moved instead of 101 Switching Protocols; it redirects to ws://127.0.0.1:"
                    + server.port() + "/elsewhere?x=1, not followed: redirects are off"
                    + " (WebSocketClient.setRedirectPolicy)", e.reason());
            assertEquals(302, refusals.next().statusCode());
            refusals.assertExhausted();
            server.takeRequest();
            server.takeRequest();
        }
    }

    /** Each redirect status to our own server on another port, with an absolute Location, sync and async. */
    @Test
    void everyRedirectStatusIsFollowedToAnotherServer() throws Exception {
        try (WebSocketServerFixture target = WebSocketServerFixture.builder().echo().start()) {
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                try (ScriptedServer server = ScriptedServer.start(
                        redirect(status, "ws://127.0.0.1:" + target.port() + "/final"))) {
                    WebSocketClient client = new WebSocketClient("127.0.0.1", server.port(), "/start");
                    client.setRedirectPolicy(RedirectPolicy.follow());
                    EventRecorder<Integer> upgrades = new EventRecorder<>("upgrade");
                    client.setOnHandshakeSuccess((c, response) -> upgrades.record(response.statusCode()));
                    Communicator sync = client.connectOrThrow();
                    Communicator async = client.connectAsync().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    for (Communicator c : List.of(sync, async)) {
                        assertEquals(target.port(), c.remoteAddress().getPort());
                        c.writeStringMessage("via " + status);
                        assertEquals("via " + status, c.waitForStringMessage(WAIT).data());
                        c.close();
                        assertNotNull(c.awaitClose(WAIT));
                    }
                    upgrades.assertNext(101, 101);
                    assertTrue(server.takeRequest().startsWith("GET /start HTTP/1.1\r\n"));
                    assertTrue(server.takeRequest().startsWith("GET /start HTTP/1.1\r\n"));
                }
            }
        }
    }

    /**
     * A relative Location on the same server keeps every custom header; the next hop to another origin (another
     * port) drops the credentials and keeps the rest; the failure listener sees only the last server's refusal.
     */
    @Test
    void credentialsStayOnTheSameOriginOnly() throws Exception {
        try (ScriptedServer last = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno");
            ex.awaitClientClose();
        });
             ScriptedServer first = ScriptedServer.start(ex -> {
                 if (ex.request.startsWith("GET /a ")) {
                     redirect(307, "b").run(ex);
                 } else {
                     redirect(308, "http://127.0.0.1:" + last.port() + "/c").run(ex);
                 }
             })) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", first.port(), "/a");
            client.setRedirectPolicy(RedirectPolicy.follow(2));
            client.customHeaders().put("Authorization", "Bearer secret");
            client.customHeaders().put("Cookie", "sid=42");
            client.customHeaders().put("X-Trace", "t-1");
            client.setOrigin("https://app.example");
            EventRecorder<Integer> refusals = new EventRecorder<>("refusal");
            client.setOnHandshakeFailure((c, response) -> refusals.record(response.statusCode()));

            WebSocketHandshakeRefusedException e =
                    assertThrows(WebSocketHandshakeRefusedException.class, client::connectOrThrow);
            assertEquals(403, e.statusCode());
            assertEquals("no", e.response().body());
            assertTrue(e.getMessage().startsWith("server 127.0.0.1:" + last.port() + " refused"), e.getMessage());
            refusals.assertNext(403);

            String a = first.takeRequest();
            String b = first.takeRequest();
            String c = last.takeRequest();
            assertTrue(a.startsWith("GET /a HTTP/1.1\r\n"), a);
            assertTrue(b.startsWith("GET /b HTTP/1.1\r\nHost: 127.0.0.1:" + first.port() + "\r\n"), b);
            assertTrue(c.startsWith("GET /c HTTP/1.1\r\nHost: 127.0.0.1:" + last.port() + "\r\n"), c);
            for (String head : List.of(a, b)) {
                assertTrue(head.contains("\r\nAuthorization: Bearer secret\r\nCookie: sid=42\r\nX-Trace: t-1\r\n"),
                        head);
            }
            assertFalse(c.contains("Authorization"), c);
            assertFalse(c.contains("Cookie"), c);
            assertTrue(c.contains("\r\nOrigin: https://app.example\r\nX-Trace: t-1\r\n"), c);
        }
    }

    /**
     * With a cookie store, each request of a redirect chain carries the cookies of its own URI: a cookie for path
     * {@code /b} goes to {@code /b} only, one for the first server's host not to the second server; the upgrading
     * server's {@code Set-Cookie} is stored for it.
     */
    @Test
    void eachRedirectedRequestCarriesTheCookiesOfItsOwnUri() throws Exception {
        try (ScriptedServer last = ScriptedServer.start(ex -> {
            ex.send(ex.switching("Set-Cookie: seen=yes; Path=/"));
            ex.answerClose();
        });
             ScriptedServer first = ScriptedServer.start(ex -> {
                 if (ex.request.startsWith("GET /a ")) {
                     redirect(307, "/b").run(ex);
                 } else {
                     redirect(302, "ws://localhost:" + last.port() + "/c").run(ex);
                 }
             })) {
            CookieManager store = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
            URI firstHost = URI.create("http://127.0.0.1:" + first.port() + "/");
            HttpCookie onlyB = new HttpCookie("b", "1");
            onlyB.setPath("/b");
            onlyB.setVersion(0); // a Netscape cookie, sent as b=1
            store.getCookieStore().add(firstHost, onlyB);
            WebSocketClient client = new WebSocketClient("127.0.0.1", first.port(), "/a");
            client.setRedirectPolicy(RedirectPolicy.follow());
            client.setCookieHandler(store);

            Communicator communicator = client.connectOrThrow();
            String a = first.takeRequest();
            String b = first.takeRequest();
            String c = last.takeRequest();
            assertFalse(a.contains("Cookie"), a);
            assertTrue(b.contains("\r\nCookie: b=1\r\n"), b);
            assertFalse(c.contains("Cookie"), c);
            List<HttpCookie> stored = store.getCookieStore().get(URI.create("http://localhost:" + last.port() + "/c"));
            assertEquals(List.of("seen=yes"), stored.stream().map(HttpCookie::toString).toList());
            communicator.close();
            assertNotNull(communicator.awaitClose(WAIT));
        }
    }

    @Test
    void tooManyRedirectsInARowIsAnError() throws Exception {
        try (ScriptedServer loop = ScriptedServer.start(redirect(302, "/again"))) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", loop.port(), "/start");
            client.setRedirectPolicy(RedirectPolicy.follow(3));
            client.setOnHandshakeFailure((c, response) -> {
                throw new AssertionError("the failure listener is not told about a redirect not followed");
            });
            WebSocketRedirectException e = assertThrows(WebSocketRedirectException.class, client::connect);
            String base = "ws://127.0.0.1:" + loop.port();
            assertEquals("server 127.0.0.1:" + loop.port() + " answered 302 Moved, redirect number 4 (to " + base
                    + "/again), more than the 3 allowed; requested: [" + base + "/start, " + base + "/again, " + base
                    + "/again, " + base + "/again]", e.getMessage());
            assertEquals(4, e.opened().size());
            assertEquals(302, e.response().statusCode());
            for (int i = 0; i < 4; i++) {
                loop.takeRequest();
            }
        }
    }

    /** A wss server redirecting to ws: never followed, the ws server is never asked. */
    @Test
    void wssIsNeverRedirectedToWs() throws Exception {
        CertifiedKey localhost = SelfSignedCertificates.builder("localhost").ipAddresses().build();
        try (ScriptedServer plain = ScriptedServer.start(ClientRedirectTest::upgrade);
             ScriptedServer secure = ScriptedServer.start(tlsServerSocket(localhost),
                     redirect(301, "ws://localhost:" + plain.port() + "/"))) {
            WebSocketClient client = WebSocketClient.of("wss://localhost:" + secure.port() + "/secure");
            client.setRedirectPolicy(RedirectPolicy.follow());
            WebSocketRedirectException e = assertThrows(WebSocketRedirectException.class,
                    () -> client.connect(localhost.trustingClientContext()));
            assertEquals("server localhost:" + secure.port() + " answered 301 Moved, a redirect not followed: it goes"
                    + " from wss to ws (wss://localhost:" + secure.port() + "/secure -> ws://localhost:" + plain.port()
                    + "/), which would send the request in clear text; the client never follows such a redirect",
                    e.getMessage());
            assertEquals(List.of(URI.create("wss://localhost:" + secure.port() + "/secure")), e.opened());
            secure.takeRequest();
        }
    }

    /** A ws server redirecting to wss: followed, TLS from the client's context, the request encrypted. */
    @Test
    void wsIsRedirectedToWssWithTheClientsTlsContext() throws Exception {
        CertifiedKey localhost = SelfSignedCertificates.builder("localhost").ipAddresses().build();
        try (ScriptedServer secure = ScriptedServer.start(tlsServerSocket(localhost), ClientRedirectTest::upgrade);
             ScriptedServer plain = ScriptedServer.start(redirect(301, "wss://localhost:" + secure.port() + "/s"))) {
            WebSocketClient client = WebSocketClient.of("ws://localhost:" + plain.port() + "/plain");
            client.setRedirectPolicy(RedirectPolicy.follow());
            client.setTlsContext(localhost.trustingClientContext());
            Communicator c = client.connectOrThrow();
            assertEquals(secure.port(), c.remoteAddress().getPort());
            c.close();
            assertEquals(1000, c.awaitClose(WAIT).code());
            assertTrue(plain.takeRequest().startsWith("GET /plain HTTP/1.1\r\n"));
            assertTrue(secure.takeRequest().startsWith("GET /s HTTP/1.1\r\nHost: localhost:" + secure.port()));

            // Without it the default context checks the certificate against the system's trusted ones.
            client.setTlsContext(null);
            WebSocketHandshakeException untrusted = assertThrows(WebSocketHandshakeException.class,
                    client::connectOrThrow);
            assertTrue(untrusted.getMessage().contains("TLS"), untrusted.getMessage());
            assertThrows(IllegalArgumentException.class, () -> client.setTlsContext(localhost.serverContext()));
        }
    }

    @Test
    void followedRedirectToARawServerUpgrades() throws Exception {
        try (ScriptedServer upgrading = ScriptedServer.start(ClientRedirectTest::upgrade);
             ScriptedServer server = ScriptedServer.start(redirect(303, "//127.0.0.1:" + upgrading.port() + "/up"))) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setRedirectPolicy(RedirectPolicy.follow(1));
            Communicator c = client.connectOrThrow();
            c.close();
            assertEquals(1000, c.awaitClose(WAIT).code());
            server.takeRequest();
            assertTrue(upgrading.takeRequest().startsWith("GET /up HTTP/1.1\r\nHost: 127.0.0.1:" + upgrading.port()));
        }
    }

    private static SSLServerSocket tlsServerSocket(CertifiedKey key) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("localhost", key.privateKey(), password, key.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }
}
