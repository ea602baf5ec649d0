package dev.wsnetty.netty;

import dev.wsnetty.testing.EventRecorder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accounting of {@link InboundMemoryBudget} without I/O: reserve and release, the water marks, which connections
 * are paused, resumed and closed.
 */
class InboundMemoryBudgetTest {
    private final EventRecorder<String> events = new EventRecorder<>();

    /** A connection that records what the budget asks of it. */
    private InboundMemoryBudget.Account open(InboundMemoryBudget budget, String name) {
        return budget.open(new InboundMemoryBudget.Connection() {
            @Override
            public void pauseReading() {
                events.record(name + " paused");
            }

            @Override
            public void resumeReading() {
                events.record(name + " resumed");
            }

            @Override
            public void closeForBudget(String reason) {
                events.record(name + " closed: " + reason);
            }
        });
    }

    @Test
    void reservedBytesCountUntilReleasedOrClosed() {
        InboundMemoryBudget budget = InboundMemoryBudget.of(1000, 750, 500);
        InboundMemoryBudget.Account a = open(budget, "a");
        InboundMemoryBudget.Account b = open(budget, "b");
        a.reserve(100);
        b.reserve(200);
        a.reserve(50);
        assertEquals(350, budget.used());
        assertEquals(150, a.held());
        a.release(120);
        assertEquals(30, a.held());
        assertEquals(230, budget.used());
        b.close();
        assertEquals(30, budget.used());
        assertEquals(0, b.held());
        b.release(200); // a queued message taken after the connection ended: already released
        b.reserve(10);
        assertEquals(30, budget.used());
        a.close();
        a.close();
        assertEquals(0, budget.used());
        events.assertExhausted();
    }

    @Test
    void atTheHighWaterMarkTheConnectionsHoldingTheirFairShareStopReading() {
        InboundMemoryBudget budget = InboundMemoryBudget.of(1000, 600, 300);
        InboundMemoryBudget.Account big = open(budget, "big");
        InboundMemoryBudget.Account small = open(budget, "small");
        small.reserve(10);
        big.reserve(589);
        events.assertExhausted(); // 599: below the mark
        big.reserve(1);
        // 600 of 600: big holds 590, at least its share 600 / 2
        assertEquals("big paused", events.next());
        small.reserve(10);
        events.assertExhausted(); // small holds 20, below its share
        big.reserve(10);
        events.assertExhausted(); // paused once
        assertTrue(big.isPaused());
        assertFalse(small.isPaused());
    }

    @Test
    void pausedConnectionsReadAgainAtTheLowWaterMark() {
        InboundMemoryBudget budget = InboundMemoryBudget.of(1000, 600, 300);
        InboundMemoryBudget.Account a = open(budget, "a");
        InboundMemoryBudget.Account b = open(budget, "b");
        a.reserve(350);
        b.reserve(300);
        assertEquals("b paused", events.next()); // 650, b holds 300 = 600 / 2
        a.reserve(1);
        assertEquals("a paused", events.next());
        a.release(300);
        events.assertExhausted(); // 351: between the marks
        a.release(51);
        assertEquals(300, budget.used());
        assertEquals(2, events.takeAll().stream().filter(e -> e.endsWith("resumed")).count());
        assertFalse(a.isPaused());
        assertFalse(b.isPaused());
    }

    @Test
    void closingAPausedConnectionBelowTheLowWaterMarkResumesTheOthers() {
        InboundMemoryBudget budget = InboundMemoryBudget.of(1000, 600, 300);
        InboundMemoryBudget.Account a = open(budget, "a");
        InboundMemoryBudget.Account b = open(budget, "b");
        a.reserve(400);
        b.reserve(300);
        assertEquals("b paused", events.next());
        a.close();
        assertEquals("b resumed", events.next());
        events.assertExhausted();
    }

    @Test
    void pastTheLimitTheLargestHoldersAreClosedUntilTheRestIsAtTheHighWaterMark() {
        InboundMemoryBudget budget = InboundMemoryBudget.of(1000, 700, 400);
        InboundMemoryBudget.Account small = open(budget, "small");
        InboundMemoryBudget.Account medium = open(budget, "medium");
        InboundMemoryBudget.Account large = open(budget, "large");
        InboundMemoryBudget.Account larger = open(budget, "larger");
        small.reserve(50);
        medium.reserve(200);
        large.reserve(300);
        larger.reserve(349);
        assertEquals("larger paused", events.next()); // 899, larger holds over 700 / 4
        larger.reserve(102); // 1001
        // larger (451) goes first: 550 left, at most 700
        assertEquals("larger closed: server over its inbound memory budget; connection held 451 bytes", events.next());
        events.assertExhausted();
        // Until larger's connection has ended, its bytes are not counted twice.
        small.reserve(100); // 1101, of which 451 are being closed
        assertTrue(events.takeAll().stream().noneMatch(e -> e.contains("closed")));
        larger.close();
        assertEquals(650, budget.used());
    }

    @Test
    void pastTheLimitSeveralHoldersAreClosedLargestFirst() {
        InboundMemoryBudget budget = InboundMemoryBudget.of(1000, 500, 250);
        InboundMemoryBudget.Account[] accounts = new InboundMemoryBudget.Account[5];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = open(budget, "c" + i);
        }
        accounts[0].reserve(100);
        accounts[1].reserve(150);
        accounts[2].reserve(250);
        accounts[3].reserve(200);
        events.takeAll(); // pauses at the high-water mark
        accounts[4].reserve(301); // 1001: close c4 (301) → 700, c2 (250) → 450
        assertEquals(java.util.List.of(
                "c4 closed: server over its inbound memory budget; connection held 301 bytes",
                "c2 closed: server over its inbound memory budget; connection held 250 bytes"),
                events.takeAll().stream().filter(e -> e.contains("closed")).toList());
    }

    @Test
    void theMarksAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> InboundMemoryBudget.of(1023));
        assertThrows(IllegalArgumentException.class, () -> InboundMemoryBudget.of(1000, 1001, 10));
        assertThrows(IllegalArgumentException.class, () -> InboundMemoryBudget.of(1000, 500, 500));
        InboundMemoryBudget budget = InboundMemoryBudget.of(4096);
        assertEquals(3072, budget.highWaterMark());
        assertEquals(2048, budget.lowWaterMark());
    }

    @Test
    void theDefaultLimitIsAQuarterOfTheJvmsMemory() {
        long heap = Runtime.getRuntime().maxMemory();
        long direct = io.netty.util.internal.PlatformDependent.maxDirectMemory();
        assertEquals(Math.max(InboundMemoryBudget.MIN_DEFAULT_LIMIT, Math.min(heap, direct) / 4),
                InboundMemoryBudget.defaultLimit());
        assertEquals(InboundMemoryBudget.defaultLimit(), InboundMemoryBudget.shared().limit());
    }
}
