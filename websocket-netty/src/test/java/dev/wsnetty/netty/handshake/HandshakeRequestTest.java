package dev.wsnetty.netty.handshake;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HandshakeRequestTest {
    @Test
    void keepsTheRawValuesTheRoutingNeeds() {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/chat%20room?q=1");
        request.headers().set("Host", "localhost:8080");
        HandshakeRequest snapshot = HandshakeRequest.of(request, new InetSocketAddress("127.0.0.1", 40000), null);
        assertEquals("/chat%20room?q=1", snapshot.path());
        assertEquals("localhost:8080", snapshot.host());
        assertEquals("GET", snapshot.method());
        assertEquals(new InetSocketAddress("127.0.0.1", 40000), snapshot.remoteAddress());
        assertNull(snapshot.localAddress());
    }

    @Test
    void usesEmptyStringsForAMissingHostOrKeyAndNullForAMissingOrigin() {
        HandshakeRequest snapshot = HandshakeRequest.of(
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), null, null);
        assertEquals("", snapshot.host());
        assertEquals("", snapshot.key());
        assertNull(snapshot.origin());
        assertEquals(List.of(), snapshot.subprotocols());
    }

    @Test
    void collectsSubprotocolsFromEveryHeaderLineInOrder() {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add("Sec-WebSocket-Protocol", "chat, superchat");
        request.headers().add("sec-websocket-protocol", "v2.mqtt ,,x");
        assertEquals(List.of("chat", "superchat", "v2.mqtt", "x"), HandshakeRequest.of(request, null, null).subprotocols());
    }

    @Test
    void isAReadOnlySnapshotWithCaseInsensitiveNames() {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add("X-Token", "a");
        request.headers().add("x-token", "b");
        request.headers().set("Origin", "https://example.com");
        HandshakeRequest snapshot = HandshakeRequest.of(request, null, null);
        request.headers().set("X-Token", "changed");
        assertEquals(List.of("a", "b"), snapshot.headers().getAll("X-TOKEN"));
        assertEquals("a", snapshot.header("x-token"));
        assertEquals("https://example.com", snapshot.origin());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.headers().add("X-New", "v"));
    }
}
