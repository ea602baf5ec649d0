package dev.wsnetty.netty.client;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which proxy the JVM's networking properties name for a target, and what a proxy's settings accept. */
class ProxySelectionTest {
    private final Map<String, String> properties = new HashMap<>();
    private final ClientProxySelector selector = new SystemProxyProperties(properties::get);

    private Optional<ClientProxy> select(String uri) {
        return selector.select(URI.create(uri));
    }

    @Test
    void noPropertiesMeansDirect() {
        assertEquals(Optional.empty(), select("ws://example.com/"));
        assertEquals(Optional.empty(), select("wss://example.com/"));
    }

    @Test
    void wsUsesTheHttpPropertiesAndWssTheHttpsOnes() {
        properties.put("http.proxyHost", "plain.proxy");
        properties.put("https.proxyHost", "secure.proxy");
        properties.put("https.proxyPort", "8443");
        assertEquals(Optional.of(ClientProxy.http("plain.proxy", 80)), select("ws://example.com:8080/x"));
        assertEquals(Optional.of(ClientProxy.http("secure.proxy", 8443)), select("wss://example.com/"));
        properties.remove("https.proxyPort");
        assertEquals(Optional.of(ClientProxy.http("secure.proxy", 443)), select("wss://example.com/"));
    }

    @Test
    void nonProxyHostsDefaultToTheLoopbackAndApplyToBothSchemes() {
        properties.put("http.proxyHost", "p");
        properties.put("https.proxyHost", "p");
        assertEquals(Optional.empty(), select("ws://localhost:1/"));
        assertEquals(Optional.empty(), select("ws://127.0.0.1:1/"));
        assertEquals(Optional.empty(), select("wss://[::1]:1/"));
        properties.put("http.nonProxyHosts", "*.internal|intranet|10.*");
        assertEquals(Optional.empty(), select("wss://svc.INTERNAL/"));
        assertEquals(Optional.empty(), select("ws://intranet/"));
        assertEquals(Optional.empty(), select("ws://10.1.2.3/"));
        assertTrue(select("ws://intranet.example/").isPresent());
        assertTrue(select("ws://localhost/").isPresent(), "an explicit list replaces the default");
    }

    @Test
    void socksPropertiesAreTheFallback() {
        properties.put("socksProxyHost", "socks.proxy");
        assertEquals(Optional.of(ClientProxy.socks5("socks.proxy", 1080)), select("ws://example.com/"));
        properties.put("socksProxyPort", "9050");
        properties.put("socksNonProxyHosts", "*.onion.local");
        assertEquals(Optional.of(ClientProxy.socks5("socks.proxy", 9050)), select("wss://example.com/"));
        assertEquals(Optional.empty(), select("ws://x.onion.local/"));
        properties.put("http.proxyHost", "http.proxy");
        assertEquals(Optional.of(ClientProxy.http("http.proxy", 80)), select("ws://example.com/"));
        properties.put("socksProxyVersion", "4");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select("wss://example.com/"));
        assertEquals("socksProxyVersion=4 is not supported: only SOCKS5", e.getMessage());
    }

    @Test
    void aBadPortPropertyIsNamed() {
        properties.put("http.proxyHost", "p");
        properties.put("http.proxyPort", "80a");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select("ws://example.com/"));
        assertEquals("system property http.proxyPort=80a is not a port (1 to 65535)", e.getMessage());
    }

    @Test
    void credentialsAreAddedToWhateverIsPicked() {
        properties.put("http.proxyHost", "p");
        ClientProxySelector withCredentials = selector.withCredentials("u", "pw");
        assertEquals(Optional.of(ClientProxy.http("p", 80).withCredentials("u", "pw")),
                withCredentials.select(URI.create("ws://example.com/")));
        assertEquals(Optional.empty(), withCredentials.select(URI.create("ws://localhost/")));
    }

    @Test
    void proxySettingsAreChecked() {
        assertEquals("HTTP proxy [::1]:3128", ClientProxy.http("[::1]", 3128).toString());
        assertEquals("SOCKS5 proxy h:1080 as u", ClientProxy.socks5("h", 1080).withCredentials("u", "pw").toString());
        assertFalse(ClientProxy.http("h", 1).withCredentials("u", "secret").toString().contains("secret"));
        assertEquals("port must be between 1 and 65535, was 0",
                assertThrows(IllegalArgumentException.class, () -> ClientProxy.http("h", 0)).getMessage());
        assertEquals("proxy username has a ':' at index 1, which HTTP basic authentication cannot carry",
                assertThrows(IllegalArgumentException.class,
                        () -> ClientProxy.http("h", 1).withCredentials("a:b", "pw")).getMessage());
        assertEquals("SOCKS5 password must be 1 to 255 bytes, was 0",
                assertThrows(IllegalArgumentException.class,
                        () -> ClientProxy.socks5("h", 1).withCredentials("u", "")).getMessage());
        assertEquals("SOCKS5 username must be 1 to 255 bytes, was 256",
                assertThrows(IllegalArgumentException.class,
                        () -> ClientProxy.socks5("h", 1).withCredentials("u".repeat(256), "pw")).getMessage());
    }
}
