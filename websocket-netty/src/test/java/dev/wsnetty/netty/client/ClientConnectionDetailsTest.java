package dev.wsnetty.netty.client;

import dev.wsnetty.AllowedOrigins;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the client sends and learns beyond the handshake's own headers, over real sockets: the {@code Origin} as
 * browsers form it, cookies from and into a {@link java.net.CookieHandler}, and the agreed extensions and
 * subprotocol on the communicators of both ends.
 */
class ClientConnectionDetailsTest {
    private static final Duration WAIT = Await.DEADLINE;

    @Test
    void originIsSentAsBrowsersSendIt() throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.start(echo)) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setOrigin("HTTPS://App.Example.com:443/pages/chat.html?room=1#top");
            assertEquals("https://app.example.com", client.getOrigin());
            closeNow(client.connectOrThrow());
            assertEquals("https://app.example.com", echo.nextConnection().request().origin());

            client.setOrigin("http://user@example.com:8080/x");
            closeNow(client.connectOrThrow());
            assertEquals("http://example.com:8080", echo.nextConnection().request().origin());

            client.setOrigin("http://[::1]:80/");
            closeNow(client.connectOrThrow());
            assertEquals("http://[::1]", echo.nextConnection().request().origin());

            client.setOrigin("null");
            closeNow(client.connectOrThrow());
            assertEquals("null", echo.nextConnection().request().origin());
        }
        assertEquals("origin '/pages/chat.html' is not scheme://host[:port], e.g. https://example.com",
                assertThrows(IllegalArgumentException.class,
                        () -> new WebSocketClient("h").setOrigin("/pages/chat.html")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new WebSocketClient("h").setOrigin("http://a b"))
                .getMessage().startsWith("origin 'http://a b' is not a URI: "));
    }

    @Test
    void cookiesComeFromTheHandlerAndTheServersGoBackIntoIt() throws Exception {
        EchoEndpoint echo = new EchoEndpoint().responseHeader("Set-Cookie", "session=abc123; Path=/");
        try (TestServer server = TestServer.start(echo)) {
            CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
            URI site = URI.create("http://127.0.0.1:" + server.port() + "/");
            cookies.getCookieStore().add(site, cookie("theme", "dark", false));
            cookies.getCookieStore().add(site, cookie("token", "secret", true)); // Secure: https/wss only
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port(), "/chat");
            client.setCookieHandler(cookies);

            closeNow(client.connectOrThrow());
            assertEquals(List.of("theme=dark"), echo.nextConnection().request().headers().getAll("Cookie"));
            assertTrue(cookies.getCookieStore().get(site).stream()
                    .anyMatch(c -> c.getName().equals("session") && c.getValue().equals("abc123")),
                    cookies.getCookieStore().getCookies().toString());

            client.customHeaders().put("cookie", "mine=1");
            closeNow(client.connectOrThrow());
            List<String> sent = echo.nextConnection().request().headers().getAll("Cookie");
            assertEquals(1, sent.size(), sent.toString());
            assertTrue(sent.get(0).startsWith("mine=1; "), sent.toString());
            assertTrue(sent.get(0).contains("theme=dark") && sent.get(0).contains("session=abc123"), sent.toString());
            assertTrue(!sent.get(0).contains("token="), sent.toString());
        }
    }

    @Test
    void aRefusalsCookiesAreKeptToo() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> ex.send(
                "HTTP/1.1 403 Forbidden\r\nSet-Cookie: seen=1; Path=/\r\nContent-Length: 0\r\n\r\n"))) {
            CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setCookieHandler(cookies);
            assertNull(client.connect());
            assertEquals("seen=1", cookies.getCookieStore().getCookies().get(0).toString());
        }
    }

    @Test
    void bothEndsReportTheAgreedExtensionsAndSubprotocol() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setConfig(WebSocketConfig.builder().compression(CompressionMode.LEAN).build());
        server.registerHandler("*", "*", new ThreadedWebSocketHandler() {
            @Override
            public AllowedOrigins allowedOrigins() {
                return AllowedOrigins.any();
            }

            @Override
            public String selectSubprotocol(List<String> offered) {
                return offered.contains("chat.v2") ? "chat.v2" : null;
            }

            @Override
            protected void doHandleCommunication(Communicator communicator) {
                communicator.writeStringMessage(communicator.extensions() + "|" + communicator.subprotocol());
                communicator.waitForStringMessage();
            }
        }, true, true);
        server.bind();
        try {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setConfig(WebSocketConfig.builder().compression(CompressionMode.CONTEXT_TAKEOVER).build());
            client.setSubprotocols("chat.v2", "chat.v1");
            Communicator communicator = client.connectOrThrow();
            StringMessage serverSide = communicator.waitForStringMessage(WAIT);
            String agreed = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
            assertEquals(agreed + "|chat.v2", serverSide.data());
            assertEquals(agreed, communicator.extensions());
            assertEquals("chat.v2", communicator.subprotocol());
            closeNow(communicator);
            assertEquals(agreed, communicator.extensions(), "still readable after the close");

            client.setConfig(WebSocketConfig.builder().compression(CompressionMode.OFF).build()); // no offer
            client.setSubprotocols();
            communicator = client.connectOrThrow();
            assertEquals("|null", communicator.waitForStringMessage(WAIT).data());
            assertEquals("", communicator.extensions());
            assertNull(communicator.subprotocol());
            closeNow(communicator);
        } finally {
            server.stop();
        }
    }

    private static HttpCookie cookie(String name, String value, boolean secure) {
        HttpCookie c = new HttpCookie(name, value);
        c.setPath("/");
        c.setVersion(0);
        c.setSecure(secure);
        return c;
    }

    private static void closeNow(Communicator communicator) throws IOException {
        communicator.close();
        assertNotNull(communicator.awaitClose(WAIT));
    }
}
