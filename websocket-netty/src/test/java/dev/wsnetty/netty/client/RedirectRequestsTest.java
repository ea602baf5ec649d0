package dev.wsnetty.netty.client;

import dev.wsnetty.netty.WebSocketConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a redirect leads and what goes along, without sockets: {@link RedirectRequests}. */
class RedirectRequestsTest {
    private static final ClientHandshakeRequest WS = ClientHandshakeRequest.builder("example.com").port(8080)
            .path("/chat/room?x=1").build();
    private static final ClientHandshakeRequest WSS = ClientHandshakeRequest.builder("example.com").tls(true)
            .path("/chat").build();

    @Test
    void relativeLocationsResolveAgainstTheRequestUri() {
        assertEquals(URI.create("ws://example.com:8080/new"), RedirectRequests.target(WS, "/new"));
        assertEquals(URI.create("ws://example.com:8080/chat/other"), RedirectRequests.target(WS, "other"));
        assertEquals(URI.create("ws://other.example:81/x"), RedirectRequests.target(WS, "//other.example:81/x"));
        assertEquals(URI.create("wss://example.com:443/y?q=2"), RedirectRequests.target(WSS, " /y?q=2 "));
    }

    @Test
    void httpSchemesMapToWebSocketSchemesAndTheFragmentIsDropped() {
        assertEquals(URI.create("ws://a.example/p"), RedirectRequests.target(WS, "http://a.example/p#top"));
        assertEquals(URI.create("wss://a.example/p"), RedirectRequests.target(WS, "HTTPS://a.example/p"));
        assertEquals(URI.create("wss://a.example/p"), RedirectRequests.target(WSS, "wss://a.example/p"));
    }

    @Test
    void wssNeverGoesToWs() {
        for (String location : List.of("ws://example.com/chat", "http://example.com/chat")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RedirectRequests.target(WSS, location));
            assertTrue(e.getMessage().startsWith("it goes from wss to ws (wss://example.com:443/chat -> ws://"),
                    e.getMessage());
        }
    }

    @Test
    void otherSchemesAndInvalidLocationsAreNamed() {
        IllegalArgumentException ftp = assertThrows(IllegalArgumentException.class,
                () -> RedirectRequests.target(WS, "ftp://example.com/"));
        assertEquals("its Location 'ftp://example.com/' is not a ws, wss, http or https URI", ftp.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RedirectRequests.target(WS, "/a b"));
        assertTrue(bad.getMessage().startsWith("its Location '/a b' is not a valid URI: "), bad.getMessage());
    }

    @Test
    void sameOriginKeepsEveryHeader() {
        ClientHandshakeRequest request = withHeaders(WS);
        ClientHandshakeRequest next = RedirectRequests.next(request, URI.create("ws://EXAMPLE.com:8080/moved"));
        assertEquals(request.headers(), next.headers());
        assertEquals("/moved", next.path());
        assertEquals(List.of("v2", "v1"), next.subprotocols());
        assertEquals("https://app.example", next.origin().orElseThrow());
        assertEquals(request.config(), next.config());
    }

    @Test
    void anotherHostDropsCredentialsAndTheCustomHost() {
        ClientHandshakeRequest next = RedirectRequests.next(withHeaders(WS), URI.create("ws://other.example:8080/"));
        assertEquals(List.of(Map.entry("X-Trace", "t1")), next.headers());
        assertEquals("https://app.example", next.origin().orElseThrow());
    }

    @Test
    void anotherPortOrSchemeIsAnotherOrigin() {
        ClientHandshakeRequest otherPort = RedirectRequests.next(withHeaders(WS), URI.create("ws://example.com:9090/"));
        assertEquals(List.of(Map.entry("X-Trace", "t1")), otherPort.headers());
        // Same host and port over TLS: the custom Host still fits the server, the credentials do not go along.
        ClientHandshakeRequest tls = RedirectRequests.next(withHeaders(WS), URI.create("wss://example.com:8080/"));
        assertEquals(List.of(Map.entry("Host", "example.com:8080"), Map.entry("X-Trace", "t1")), tls.headers());
        assertTrue(tls.tls());
    }

    @Test
    void userInfoInTheTargetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedirectRequests.next(WS, URI.create("ws://user@example.com/")));
        assertTrue(e.getMessage().contains("user info"), e.getMessage());
    }

    private static ClientHandshakeRequest withHeaders(ClientHandshakeRequest base) {
        return ClientHandshakeRequest.builder(base.host()).port(base.port()).tls(base.tls()).path(base.path())
                .subprotocols("v2", "v1").origin("https://app.example")
                .config(WebSocketConfig.builder().handshakeTimeout(Duration.ofSeconds(3)).build())
                .header("Authorization", "Bearer secret").header("Cookie", "sid=1").header("Host", "example.com:8080")
                .header("Proxy-Authorization", "Basic x").header("X-Trace", "t1")
                .build();
    }
}
