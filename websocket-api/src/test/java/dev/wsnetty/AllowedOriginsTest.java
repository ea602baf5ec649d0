package dev.wsnetty;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AllowedOrigins}: which {@code Origin} passes for which {@code Host}. */
class AllowedOriginsTest {
    @Test
    void requestsWithoutOriginAlwaysPass() {
        assertTrue(AllowedOrigins.sameOrigin().allows(null, "example.com"));
        assertTrue(AllowedOrigins.of("https://a.example").allows(null, null));
    }

    @Test
    void sameOriginComparesHostAndPortIgnoringCaseAndDefaultPorts() {
        AllowedOrigins same = AllowedOrigins.sameOrigin();
        assertTrue(same.allows("http://localhost:8080", "localhost:8080"));
        assertTrue(same.allows("https://Example.COM", "example.com"));
        assertTrue(same.allows("https://example.com", "example.com:443"));
        assertTrue(same.allows("http://[::1]:8080", "[::1]:8080"));
        assertFalse(same.allows("http://localhost:8081", "localhost:8080"), "another port is another origin");
        assertFalse(same.allows("https://example.com", "example.com:80"));
        assertFalse(same.allows("https://evil.example", "example.com"));
        assertFalse(same.allows("http://localhost:8080", null), "no Host to compare with");
    }

    @Test
    void opaqueOrMalformedOriginsNeverPassUnlessAny() {
        assertFalse(AllowedOrigins.sameOrigin().allows("null", "null"));
        assertFalse(AllowedOrigins.sameOrigin().allows("not an origin", "localhost"));
        assertTrue(AllowedOrigins.any().allows("null", "localhost"));
    }

    @Test
    void theListAddsToSameOrigin() {
        AllowedOrigins listed = AllowedOrigins.of("https://app.example", "http://dev.example:3000");
        assertTrue(listed.allows("https://APP.example:443", "api.example"));
        assertTrue(listed.allows("http://dev.example:3000", "api.example"));
        assertTrue(listed.allows("https://api.example", "api.example"), "same origin still passes");
        assertFalse(listed.allows("http://dev.example", "api.example"));
        assertFalse(listed.allows("https://evil.example", "api.example"));
    }

    @Test
    void listEntriesMustBeOrigins() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllowedOrigins.of("https://app.example/path"));
        assertEquals("not an origin (scheme://host[:port], no path): \"https://app.example/path\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AllowedOrigins.of("app.example"));
    }
}
