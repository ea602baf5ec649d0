package dev.wsnetty.netty.protocol;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.protocol.LivenessDeadlines.Due;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The idle and keep-alive deadlines as a function of the time now, with no channel and no timer. */
class LivenessDeadlinesTest {
    /** Close to the end of the clock, so that every check below also crosses the wrap of nanoTime. */
    private static final long T0 = Long.MAX_VALUE - s(45);

    private static final WebSocketConfig IDLE_ONLY = WebSocketConfig.builder().idleTimeout(Duration.ofSeconds(60)).build();
    private static final WebSocketConfig PING_ONLY = WebSocketConfig.builder().pingInterval(Duration.ofSeconds(30))
            .pongTimeout(Duration.ofSeconds(10)).build();
    private static final WebSocketConfig BOTH = PING_ONLY.toBuilder().idleTimeout(Duration.ofSeconds(60)).build();

    private static long s(long seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }

    @Test
    void idleTimeoutIsDueWhenNothingWasReceivedForThatLong() {
        assertEquals(Due.NOTHING, LivenessDeadlines.due(IDLE_ONLY, T0, false, 0, T0 + s(60) - 1));
        assertEquals(Due.IDLE_TIMEOUT, LivenessDeadlines.due(IDLE_ONLY, T0, false, 0, T0 + s(60)));
        assertEquals(Due.NOTHING, LivenessDeadlines.due(IDLE_ONLY, T0 + s(50), false, 0, T0 + s(60)));
    }

    @Test
    void pingIsDueWhenNothingWasReceivedForTheInterval() {
        assertEquals(Due.NOTHING, LivenessDeadlines.due(PING_ONLY, T0, false, 0, T0 + s(30) - 1));
        assertEquals(Due.SEND_PING, LivenessDeadlines.due(PING_ONLY, T0, false, 0, T0 + s(30)));
    }

    @Test
    void pongTimeoutIsDueWhenNothingWasReceivedSinceThePing() {
        long ping = T0 + s(30);
        assertEquals(Due.NOTHING, LivenessDeadlines.due(PING_ONLY, T0, true, ping, ping + s(10) - 1));
        assertEquals(Due.PONG_TIMEOUT, LivenessDeadlines.due(PING_ONLY, T0, true, ping, ping + s(10)));
        // A read in the same instant as the ping does not count as its answer.
        assertEquals(Due.PONG_TIMEOUT, LivenessDeadlines.due(PING_ONLY, ping, true, ping, ping + s(10)));
    }

    @Test
    void anythingReceivedAfterThePingAnswersIt() {
        long ping = T0 + s(30);
        long read = ping + 1; // not necessarily the pong: any bytes show the peer is alive
        assertEquals(Due.NOTHING, LivenessDeadlines.due(PING_ONLY, read, true, ping, ping + s(10)));
        assertEquals(Due.SEND_PING, LivenessDeadlines.due(PING_ONLY, read, true, ping, read + s(30)));
    }

    @Test
    void idleTimeoutComesBeforeThePongTimeoutAndThePing() {
        WebSocketConfig config = PING_ONLY.toBuilder().idleTimeout(Duration.ofSeconds(30)).build();
        assertEquals(Due.IDLE_TIMEOUT, LivenessDeadlines.due(config, T0, false, 0, T0 + s(30)));
        assertEquals(Due.IDLE_TIMEOUT, LivenessDeadlines.due(config, T0, true, T0 + s(20), T0 + s(30)));
    }

    @Test
    void firstCheckComesAtTheEarlierOfIdleTimeoutAndPingInterval() {
        assertEquals(s(60), LivenessDeadlines.nextCheckIn(IDLE_ONLY, T0, false, 0, T0));
        assertEquals(s(30), LivenessDeadlines.nextCheckIn(PING_ONLY, T0, false, 0, T0));
        assertEquals(s(30), LivenessDeadlines.nextCheckIn(BOTH, T0, false, 0, T0));
    }

    @Test
    void nextCheckFollowsTheReadsThePingAndItsTimeout() {
        // Nothing due yet: the next deadline is the ping, 30 s after the last read.
        assertEquals(s(25), LivenessDeadlines.nextCheckIn(BOTH, T0, false, 0, T0 + s(5)));
        // The ping just went out: its pong timeout (10 s) comes before the idle timeout (30 s left).
        long ping = T0 + s(30);
        assertEquals(s(10), LivenessDeadlines.nextCheckIn(BOTH, T0, true, ping, ping));
        assertEquals(s(6), LivenessDeadlines.nextCheckIn(BOTH, T0, true, ping, ping + s(4)));
        // Something arrived 5 s after the ping: the next ping is due 30 s after that read.
        assertEquals(s(25), LivenessDeadlines.nextCheckIn(BOTH, ping + s(5), true, ping, ping + s(10)));
        // Idle timeout alone: 60 s after the last read.
        assertEquals(s(40), LivenessDeadlines.nextCheckIn(IDLE_ONLY, T0, false, 0, T0 + s(20)));
    }
}
