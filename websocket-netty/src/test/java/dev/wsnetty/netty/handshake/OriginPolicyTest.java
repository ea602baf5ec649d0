package dev.wsnetty.netty.handshake;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {
    private static HandshakeRequest requestTo(String host) {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().set("Host", host);
        return HandshakeRequest.of(request, null, null);
    }

    @Test
    void anyAllowsEverything() {
        assertTrue(OriginPolicy.any().allows("https://evil.example", requestTo("example.com")));
        assertTrue(OriginPolicy.any().allows(null, requestTo("example.com")));
    }

    @Test
    void allowListMatchesWholeOriginsIgnoringCase() {
        OriginPolicy policy = OriginPolicy.allowList("https://chat.example.com", "http://localhost:8080");
        HandshakeRequest request = requestTo("chat.example.com");
        assertTrue(policy.allows("https://chat.example.com", request));
        assertTrue(policy.allows("HTTPS://Chat.Example.COM", request));
        assertTrue(policy.allows("http://localhost:8080", request));
        assertFalse(policy.allows("http://chat.example.com", request), "other scheme");
        assertFalse(policy.allows("https://chat.example.com:8443", request), "other port");
        assertFalse(policy.allows("https://chat.example.com.evil.example", request), "suffix");
        assertFalse(policy.allows("http://localhost", request), "missing port");
        assertFalse(policy.allows("null", request), "opaque origin of sandboxed pages");
    }

    @Test
    void allowListAndSameHostLetNonBrowserClientsWithoutOriginThrough() {
        assertTrue(OriginPolicy.allowList("https://chat.example.com").allows(null, requestTo("x")));
        assertTrue(OriginPolicy.sameHost().allows(null, requestTo("x")));
    }

    @Test
    void allowListRejectsEntriesThatAreNotOrigins() {
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.allowList("chat.example.com"));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.allowList("https://chat.example.com/"));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.allowList("https://chat.example.com/app"));
        assertThrows(IllegalArgumentException.class, () -> OriginPolicy.allowList("https://u@chat.example.com"));
        assertThrows(NullPointerException.class, () -> OriginPolicy.allowList((String) null));
    }

    @Test
    void sameHostComparesTheOriginsAuthorityWithTheHostHeader() {
        OriginPolicy policy = OriginPolicy.sameHost();
        assertTrue(policy.allows("http://localhost:8080", requestTo("localhost:8080")));
        assertTrue(policy.allows("https://Example.COM", requestTo("example.com")));
        assertFalse(policy.allows("http://localhost:9090", requestTo("localhost:8080")));
        assertFalse(policy.allows("https://evil.example", requestTo("example.com")));
        assertFalse(policy.allows("null", requestTo("example.com")));
    }
}
