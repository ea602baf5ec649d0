package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.deflate.ClientDeflateOffer;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.wsnetty.netty.client.Connectors.requestHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's handshake request: what the builder accepts and refuses, and what goes on the wire, byte for byte, as
 * a {@link ScriptedServer} (or, for ports a test cannot bind, an embedded channel) receives it.
 */
class ClientHandshakeRequestTest {

    @Test
    void defaultsArePort80PathSlashNoTls() {
        ClientHandshakeRequest r = ClientHandshakeRequest.builder("example.com").build();
        assertEquals("example.com", r.host());
        assertEquals(80, r.port());
        assertEquals("/", r.path());
        assertFalse(r.tls());
        assertTrue(r.headers().isEmpty());
        assertTrue(r.subprotocols().isEmpty());
        assertTrue(r.origin().isEmpty());
        assertEquals(WebSocketConfig.DEFAULT, r.config());
    }

    @Test
    void hostHeaderOmitsOnlyTheSchemeDefaultPort() {
        assertEquals("example.com", ClientHandshakeRequest.builder("example.com").build().hostHeader());
        assertEquals("example.com", ClientHandshakeRequest.builder("example.com").port(80).build().hostHeader());
        assertEquals("example.com:8080", ClientHandshakeRequest.builder("example.com").port(8080).build().hostHeader());
        assertEquals("example.com:443", ClientHandshakeRequest.builder("example.com").port(443).build().hostHeader());

        ClientHandshakeRequest wss = ClientHandshakeRequest.builder("example.com").tls(true).build();
        assertEquals(443, wss.port());
        assertEquals("example.com", wss.hostHeader());
        assertEquals("example.com:80", ClientHandshakeRequest.builder("example.com").tls(true).port(80).build().hostHeader());

        // And so reads the Host line on the wire, for the scheme-default ports too (which a test cannot bind).
        String ws = requestHead(ClientHandshakeRequest.builder("example.com").build());
        assertTrue(ws.startsWith("GET / HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"), ws);
        String wss443 = requestHead(ClientHandshakeRequest.builder("example.com").tls(true).build());
        assertTrue(wss443.contains("\r\nHost: example.com\r\n"), wss443);
        assertTrue(requestHead(ClientHandshakeRequest.builder("example.com").port(443).build())
                .contains("\r\nHost: example.com:443\r\n"));
        assertTrue(requestHead(ClientHandshakeRequest.builder("::1").tls(true).port(8443).build())
                .contains("\r\nHost: [::1]:8443\r\n"));
    }

    @Test
    void ipv6HostsGetBracketsInHostHeaderButNotForConnecting() {
        ClientHandshakeRequest r = ClientHandshakeRequest.builder("[::1]").port(9000).build();
        assertEquals("::1", r.host());
        assertEquals("[::1]:9000", r.hostHeader());
        assertEquals("[::1]", ClientHandshakeRequest.builder("::1").build().hostHeader());
    }

    @Test
    void fromUriUsesSchemeDefaults() {
        ClientHandshakeRequest ws = ClientHandshakeRequest.fromUri(URI.create("ws://example.com")).build();
        assertEquals("example.com", ws.host());
        assertEquals(80, ws.port());
        assertEquals("/", ws.path());
        assertFalse(ws.tls());

        ClientHandshakeRequest wss = ClientHandshakeRequest.fromUri(URI.create("wss://example.com/")).build();
        assertEquals(443, wss.port());
        assertEquals("/", wss.path());
        assertTrue(wss.tls());
    }

    @Test
    void fromUriKeepsPortPathAndQuery() {
        ClientHandshakeRequest r = ClientHandshakeRequest.fromUri(URI.create("ws://host:9000/chat/room?id=1&x=a%20b")).build();
        assertEquals("host", r.host());
        assertEquals(9000, r.port());
        assertEquals("/chat/room?id=1&x=a%20b", r.path());
        assertEquals("host:9000", r.hostHeader());
        assertEquals(URI.create("ws://host:9000/chat/room?id=1&x=a%20b"), r.uri());

        assertEquals("/?q=1", ClientHandshakeRequest.fromUri(URI.create("ws://host?q=1")).build().path());
        assertTrue(ClientHandshakeRequest.fromUri(URI.create("WSS://Host:8443/")).build().tls());
        assertEquals("[::1]:8080", ClientHandshakeRequest.fromUri(URI.create("ws://[::1]:8080/")).build().hostHeader());
    }

    @Test
    void fromUriPercentEncodesNonAsciiPaths() {
        ClientHandshakeRequest r = ClientHandshakeRequest.fromUri(URI.create("ws://host/caf\u00e9?n=\u00fc")).build();
        assertEquals("/caf%C3%A9?n=%C3%BC", r.path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/", "https://example.com/", "ftp://example.com/"})
    void fromUriRejectsOtherSchemesNamingThem(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.fromUri(URI.create(uri)));
        String scheme = uri.substring(0, uri.indexOf(':'));
        assertTrue(e.getMessage().contains("'" + scheme + "'"), e.getMessage());
    }

    @Test
    void fromUriRejectsMissingSchemeHostAndFragments() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.fromUri(URI.create("/just/a/path"))).getMessage().contains("no scheme"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.fromUri(URI.create("ws:///path"))).getMessage().contains("host"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.fromUri(URI.create("ws://host/p#frag"))).getMessage().contains("fragment"));
    }

    @Test
    void fromUriGivesABuilderForMore() {
        ClientHandshakeRequest r = ClientHandshakeRequest.fromUri(URI.create("ws://host/"))
                .header("X-A", "1").subprotocols("chat").origin("http://o").build();
        assertEquals(List.of(Map.entry("X-A", "1")), r.headers());
        assertEquals(List.of("chat"), r.subprotocols());
        assertEquals("http://o", r.origin().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sec-WebSocket-Key", "sec-websocket-version", "UPGRADE", "Connection"})
    void customHeadersMayNotReplaceHandshakeHeaders(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.builder("h").header(name, "x"));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void customSubprotocolAndExtensionHeadersAreRejectedWithTheWayOut() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.builder("h").header("Sec-WebSocket-Protocol", "chat"))
                .getMessage().contains("subprotocols("));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.builder("h").header("Sec-WebSocket-Extensions", "permessage-deflate"))
                .getMessage().contains("WebSocketConfig.compression"));
    }

    @Test
    void compressionOffersPermessageDeflateAfterTheSubprotocols() {
        ClientHandshakeRequest.Builder request = ClientHandshakeRequest.builder("example.com").subprotocols("chat")
                .origin("https://example.com");
        String lean = requestHead(request.config(WebSocketConfig.builder().compression(CompressionMode.LEAN).build())
                .build());
        assertTrue(lean.contains("\r\nSec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate;"
                + " server_no_context_takeover; client_no_context_takeover; client_max_window_bits\r\n"
                + "Origin: https://example.com\r\n"), lean);
        String contextTakeover = requestHead(request.config(WebSocketConfig.builder()
                .compression(CompressionMode.CONTEXT_TAKEOVER).build()).build());
        assertTrue(contextTakeover.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"),
                contextTakeover);
        String off = requestHead(request.config(WebSocketConfig.builder().compression(CompressionMode.OFF).build())
                .build());
        assertFalse(off.contains("Sec-WebSocket-Extensions"), off);
    }

    @Test
    void badHeaderNamesAndValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").header("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").header("X:Y", "v"));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").header("", "v"));
        IllegalArgumentException crlf = assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.builder("h").header("X-Evil", "a\r\nInjected: yes"));
        assertTrue(crlf.getMessage().contains("X-Evil"), crlf.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").header("X-U", "\u00e9"));
    }

    @Test
    void headersKeepOrderAndExactValues() {
        ClientHandshakeRequest r = ClientHandshakeRequest.builder("h")
                .header("X-B", "2").header("X-A", " spaced\tvalue ").header("X-B", "3").build();
        assertEquals(List.of(Map.entry("X-B", "2"), Map.entry("X-A", " spaced\tvalue "), Map.entry("X-B", "3")),
                r.headers());
    }

    @Test
    void originGivenTwiceIsRejected() {
        ClientHandshakeRequest.Builder b = ClientHandshakeRequest.builder("h").origin("http://a").header("Origin", "http://b");
        assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage().contains("Origin"));
    }

    @Test
    void subprotocolsMustBeDistinctTokens() {
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").subprotocols("a b"));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").subprotocols(""));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").subprotocols("a,b"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ClientHandshakeRequest.builder("h").subprotocols("chat", "chat")).getMessage().contains("twice"));
    }

    @Test
    void pathPortAndHostAreValidated() {
        assertEquals("/", ClientHandshakeRequest.builder("h").path("").build().path());
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").path("chat"));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").path("/a b"));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").path("/a\r\n"));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").port(0));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("h").port(65536));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder(""));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("a host"));
        assertThrows(IllegalArgumentException.class, () -> ClientHandshakeRequest.builder("host/path"));
    }

    @Test
    void configIsKept() {
        WebSocketConfig config = WebSocketConfig.builder().handshakeTimeout(Duration.ofMillis(200)).build();
        assertEquals(config, ClientHandshakeRequest.builder("h").config(config).build().config());
    }

    // ---------------------------------------------------------------- on the wire

    @Test
    void requestCarriesCustomHeadersExactlyAsGivenInOrder() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching("Sec-WebSocket-Protocol: chat"));
            ex.answerClose();
        })) {
            WebSocketClient client = WebSocketClient.of("ws://127.0.0.1:" + server.port() + "/chat?room=1&x=%20");
            client.customHeaders().put("X-Custom", "a  value ");
            client.customHeaders().put("authorization", "Bearer t0k3n");
            client.customHeaders().put("X-Custom-2", "");
            client.setSubprotocols("chat", "superchat");
            client.setOrigin("http://example.com");

            Communicator communicator = client.connect();
            assertNotNull(communicator);
            String head = server.takeRequest();
            String key = keyOf(head);
            assertEquals("GET /chat?room=1&x=%20 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                    // Compression is on by default (CompressionMode.LEAN).
                    + "Sec-WebSocket-Extensions: " + ClientDeflateOffer.LEAN_OFFER + "\r\n"
                    + "Origin: http://example.com\r\n"
                    + "X-Custom: a  value \r\n"
                    + "authorization: Bearer t0k3n\r\n"
                    + "X-Custom-2: \r\n"
                    + "\r\n", head);
            assertEquals(16, Base64.getDecoder().decode(key).length);
            communicator.close();
            assertNotNull(communicator.awaitClose(Await.DEADLINE));
        }
    }

    @Test
    void minimalRequestHasNoProtocolNoOriginAndDefaultPath() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ScriptedServer.Exchange::awaitClientClose)) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            String head = server.takeRequest();
            assertTrue(head.startsWith("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"), head);
            assertFalse(head.contains("Sec-WebSocket-Protocol"), head);
            assertFalse(head.contains("Origin"), head);
            connection.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void keyIsFreshForEveryConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ScriptedServer.Exchange::awaitClientClose)) {
            ClientHandshakeRequest request = ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build();
            ClientConnector connector = Connectors.plain();
            ClientConnection first = connector.connect(request);
            String key1 = keyOf(server.takeRequest());
            ClientConnection second = connector.connect(request);
            String key2 = keyOf(server.takeRequest());
            assertEquals(16, Base64.getDecoder().decode(key1).length);
            assertEquals(16, Base64.getDecoder().decode(key2).length);
            assertNotEquals(key1, key2);
            first.channel().close().syncUninterruptibly();
            second.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void customHostHeaderReplacesTheGeneratedOne() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ScriptedServer.Exchange::awaitClientClose)) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.customHeaders().put("Host", "virtual.example");
            CompletableFuture<Communicator> attempt = client.connectAsync();
            String head = server.takeRequest();
            assertTrue(head.startsWith("GET / HTTP/1.1\r\nUpgrade: websocket\r\n"), head);
            assertTrue(head.endsWith("\r\nHost: virtual.example\r\n\r\n"), head);
            assertEquals(1, head.split("Host:", -1).length - 1, head);
            attempt.cancel(false);
        }
    }

    @Test
    void invalidCustomHeaderIsRefusedBeforeConnecting() {
        WebSocketClient client = new WebSocketClient("127.0.0.1", 9);
        client.customHeaders().put("Sec-WebSocket-Key", "chosen");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, client::connect);
        assertTrue(e.getMessage().contains("Sec-WebSocket-Key"), e.getMessage());
        client.customHeaders().clear();
        client.customHeaders().put("Bad Name", "v");
        e = assertThrows(IllegalArgumentException.class, client::connect);
        assertTrue(e.getMessage().contains("'Bad Name' is not a valid HTTP token"), e.getMessage());
        client.customHeaders().clear();
        client.customHeaders().put("X-Split", "a\r\nInjected: yes");
        e = assertThrows(IllegalArgumentException.class, client::connect);
        assertTrue(e.getMessage().contains("control or non-ASCII character"), e.getMessage());
    }

    /** The {@code Sec-WebSocket-Key} of a request head. */
    private static String keyOf(String requestHead) {
        String marker = "\r\nSec-WebSocket-Key: ";
        int start = requestHead.indexOf(marker);
        assertTrue(start >= 0, requestHead);
        start += marker.length();
        return requestHead.substring(start, requestHead.indexOf("\r\n", start));
    }
}
