package dev.wsnetty.netty.server;

import dev.wsnetty.AllowedOrigins;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ServerConfig}: the documented defaults, and builders that name the field and value they reject. */
class ServerConfigTest {
    @Test
    void defaults() {
        ServerConfig d = ServerConfig.DEFAULT;
        assertSame(AllowedOrigins.sameOrigin(), d.allowedOrigins());
        assertEquals(ServerConfig.defaultMaxPlatformHandlerThreads(), d.maxPlatformHandlerThreads());
        assertTrue(d.maxPlatformHandlerThreads() >= 1 && d.maxPlatformHandlerThreads() <= 10_000);
        assertEquals(Duration.ofSeconds(5), d.retryAfter());
        assertEquals(Duration.ofSeconds(10), d.logInterval());
        assertEquals(Duration.ofSeconds(1), d.acceptBackoff());
        assertEquals(0, d.maxConnectionsPerAddress());
    }

    @Test
    void theDefaultBoundIsHalfTheProcessLimit() {
        long processes = ProcessLimits.maxProcesses();
        int expected = processes <= 0 ? 10_000 : (int) Math.min(10_000, processes / 2);
        assertEquals(expected, ServerConfig.defaultMaxPlatformHandlerThreads());
    }

    @Test
    void badValuesAreRejectedNamingFieldAndValue() {
        ServerConfig.Builder b = ServerConfig.builder();
        assertEquals("maxPlatformHandlerThreads must be at least 0, was -1",
                assertThrows(IllegalArgumentException.class, () -> b.maxPlatformHandlerThreads(-1)).getMessage());
        assertEquals("maxConnectionsPerAddress must be at least 0, was -2",
                assertThrows(IllegalArgumentException.class, () -> b.maxConnectionsPerAddress(-2)).getMessage());
        assertEquals("retryAfter must be at least PT1S, was PT0.5S",
                assertThrows(IllegalArgumentException.class, () -> b.retryAfter(Duration.ofMillis(500))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.logInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.acceptBackoff(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> b.allowedOrigins(null));
    }

    @Test
    void toBuilderKeepsEveryValue() {
        ServerConfig c = ServerConfig.builder().allowedOrigins(AllowedOrigins.any()).maxPlatformHandlerThreads(7)
                .retryAfter(Duration.ofSeconds(3)).logInterval(Duration.ofSeconds(2))
                .acceptBackoff(Duration.ofMillis(300)).maxConnectionsPerAddress(9).build();
        assertEquals(c.toString(), c.toBuilder().build().toString());
    }
}
