package dev.wsnetty.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recorder the tests rely on to fail when an event goes unasserted. */
class EventRecorderTest {
    private final EventRecorder<String> events = new EventRecorder<>("greeting", Duration.ofMillis(50));

    @Test
    void eventsAreTakenInTheOrderTheyWereRecorded() {
        events.record("a");
        events.record("b");
        events.record("c");
        assertEquals("a", events.next());
        events.assertNext("b", "c");
        events.assertExhausted();
    }

    @Test
    void nextWaitsForAnEventRecordedOnAnotherThread() throws Exception {
        EventRecorder<String> patient = new EventRecorder<>("greeting");
        Thread recorder = new Thread(() -> patient.record("late"));
        recorder.start();
        assertEquals("late", patient.next());
        recorder.join();
    }

    @Test
    void nextFailsAfterTheDeadlineNamingTheEvent() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, events::next);
        assertEquals("no greeting within 50 ms", e.getMessage());
    }

    @Test
    void assertNextFailsOnAnotherEventAndNextWithATypeOnAnotherType() {
        EventRecorder<Object> any = new EventRecorder<>("event");
        any.record("text");
        any.record(42);
        assertThrows(AssertionFailedError.class, () -> any.assertNext("other text"));
        assertThrows(AssertionFailedError.class, () -> any.next(String.class));
        any.assertExhausted();
    }

    @Test
    void assertExhaustedFailsListingWhatWasLeftAndTakesIt() {
        events.record("hello");
        events.record("bye");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, events::assertExhausted);
        assertEquals("2 greetings recorded but not asserted: [hello, bye]", e.getMessage());
        events.assertExhausted();
    }

    @Test
    void asARegisteredExtensionItFailsTheTestThatLeftAnEvent() {
        events.afterEach(null);
        events.record("unasserted");
        assertThrows(AssertionFailedError.class, () -> events.afterEach(null));
    }

    @Test
    void takeAllTakesWhatWasRecordedWithoutWaiting() {
        assertEquals(List.of(), events.takeAll());
        events.record("x");
        events.record("y");
        assertEquals(List.of("x", "y"), events.takeAll());
        events.assertExhausted();
    }

    @Test
    void aNullEventIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> events.record(null));
        assertTrue(e.getMessage().contains("greeting"), e.getMessage());
    }
}
