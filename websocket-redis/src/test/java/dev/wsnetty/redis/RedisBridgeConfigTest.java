package dev.wsnetty.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration: URIs with a password and TLS, the defaults, and bad values refused by name. */
class RedisBridgeConfigTest {
    @Test
    void aUriCarriesThePasswordAndTlsWhichToStringHides() {
        RedisBridgeConfig config = RedisBridgeConfig.builder("rediss://:s3cret@redis.example:6380/2").build();
        assertTrue(config.uri().isSsl());
        assertEquals("s3cret",
                new String(config.uri().getCredentialsProvider().resolveCredentials().block().getPassword()));
        assertEquals(6380, config.uri().getPort());
        assertEquals(2, config.uri().getDatabase());
        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertTrue(config.toString().contains("(TLS)"), config.toString());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        RedisBridgeConfig config = RedisBridgeConfig.builder("redis://127.0.0.1:6379").build();
        assertFalse(config.uri().isSsl());
        assertEquals("wsnetty:", config.channelPrefix());
        assertEquals(1 << 20, config.maxPayloadBytes());
        assertEquals(10_000, config.maxPendingPublishes());
        assertEquals(64L << 20, config.maxPendingBytes());
        assertEquals(Duration.ofSeconds(5), config.commandTimeout());
        assertEquals(Duration.ofMillis(100), config.reconnectDelayMin());
        assertEquals(Duration.ofSeconds(5), config.reconnectDelayMax());
        assertEquals(Duration.ofSeconds(30), config.idExpiry());
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RedisBridgeConfig.builder("http://x"))
                .getMessage().startsWith("not a Redis URI: 'http://x'"));
        RedisBridgeConfig.Builder b = RedisBridgeConfig.builder("redis://127.0.0.1");
        assertEquals("maxPayloadBytes must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxPayloadBytes(0)).getMessage());
        assertEquals("maxPendingPublishes must be at least 1, not -1",
                assertThrows(IllegalArgumentException.class, () -> b.maxPendingPublishes(-1)).getMessage());
        assertEquals("maxPendingBytes must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxPendingBytes(0)).getMessage());
        assertEquals("commandTimeout must be positive, not PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.commandTimeout(Duration.ZERO)).getMessage());
        assertEquals("reconnectDelay max PT0.1S is below min PT1S", assertThrows(IllegalArgumentException.class,
                () -> b.reconnectDelay(Duration.ofSeconds(1), Duration.ofMillis(100))).getMessage());
        assertEquals("idExpiry must be at least 3 ms, not PT0.002S", assertThrows(IllegalArgumentException.class,
                () -> b.idExpiry(Duration.ofMillis(2))).getMessage());
    }
}
