package dev.wsnetty.netty;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WebSocketConfig}'s failure drain setting: its default, its check, and that it is carried over. */
class WebSocketConfigTest {
    @Test
    void theFailureDrainTimeoutIsOneSecondByDefaultMayBeZeroAndIsKeptByToBuilder() {
        assertEquals(Duration.ofSeconds(1), WebSocketConfig.DEFAULT.failureDrainTimeout());
        WebSocketConfig off = WebSocketConfig.builder().failureDrainTimeout(Duration.ZERO).build();
        assertEquals(Duration.ZERO, off.failureDrainTimeout());
        assertEquals(Duration.ZERO, off.toBuilder().build().failureDrainTimeout());
        assertTrue(off.toString().contains("failureDrainTimeout=PT0S"), off::toString);
    }

    @Test
    void aNegativeFailureDrainTimeoutIsRefusedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebSocketConfig.builder().failureDrainTimeout(Duration.ofMillis(-1)));
        assertEquals("failureDrainTimeout must not be negative, was PT-0.001S", e.getMessage());
    }
}
