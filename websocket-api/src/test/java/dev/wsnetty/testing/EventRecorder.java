package dev.wsnetty.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Events as they happen, on any thread, taken by the test one by one in the order they were recorded; an event
 * the test did not take is a failure.
 *
 * <p>A test takes each event it expects with {@link #next()} or asserts it with {@link #assertNext}, both waiting
 * up to the deadline for it to arrive. {@link #assertExhausted()} fails when any recorded event was not taken. As
 * a JUnit extension, registered with {@code @RegisterExtension} on a field, the recorder makes that check after
 * every test (after the test's {@code @AfterEach} methods), so an event nobody asserted fails the test that
 * caused it. A recorder that is not a registered extension is checked where its owner calls
 * {@link #assertExhausted()}.
 *
 * <p>Thread-safe: events are recorded from event loops and handler threads while the test thread takes them.
 *
 * @param <E> the type of the events; a record per kind of event reads best in failure messages
 */
public final class EventRecorder<E> implements AfterEachCallback {
    private final String name;
    private final Duration deadline;
    /** Recorded and not yet taken, oldest first. */
    private final BlockingQueue<E> events = new LinkedBlockingQueue<>();

    /** A recorder called "event" in failure messages, waiting up to {@link Await#DEADLINE} for each event. */
    public EventRecorder() {
        this("event");
    }

    /**
     * A recorder waiting up to {@link Await#DEADLINE} for each event.
     *
     * @param name what one event is, in failure messages ("close event", "frame")
     */
    public EventRecorder(String name) {
        this(name, Await.DEADLINE);
    }

    /**
     * A recorder.
     *
     * @param name     what one event is, in failure messages ("close event", "frame")
     * @param deadline how long {@link #next()} waits for an event before it fails the test
     */
    public EventRecorder(String name, Duration deadline) {
        this.name = Objects.requireNonNull(name, "name");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /** Records {@code event} (not null); callable from any thread, never blocks. */
    public void record(E event) {
        events.add(Objects.requireNonNull(event, () -> "a null " + name));
    }

    /** Takes the oldest event not taken yet, waiting up to the deadline; fails the test if none arrives. */
    public E next() {
        E event;
        try {
            event = events.poll(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a " + name, e);
        }
        if (event == null) {
            fail("no " + name + " within " + deadline.toMillis() + " ms");
        }
        return event;
    }

    /** Takes the next event as {@link #next()} does and fails the test unless it is a {@code type}. */
    public <T extends E> T next(Class<T> type) {
        return assertInstanceOf(type, next(), () -> "the next " + name);
    }

    /** Takes the next events as {@link #next()} does and fails the test unless they equal these, in this order. */
    @SafeVarargs
    public final void assertNext(E first, E... more) {
        assertEquals(first, next(), () -> "the next " + name);
        for (E expected : more) {
            assertEquals(expected, next(), () -> "the next " + name);
        }
    }

    /** Takes every event recorded so far, without waiting: for a test that checks them as a whole. */
    public List<E> takeAll() {
        List<E> taken = new ArrayList<>();
        events.drainTo(taken);
        return taken;
    }

    /** Fails the test when an event was recorded and not taken, listing those events (which it takes). */
    public void assertExhausted() {
        List<E> left = takeAll();
        if (!left.isEmpty()) {
            fail(left.size() + " " + name + (left.size() == 1 ? "" : "s") + " recorded but not asserted: " + left);
        }
    }

    /** As a registered extension: {@link #assertExhausted()} after each test. */
    @Override
    public void afterEach(ExtensionContext context) {
        assertExhausted();
    }

    @Override
    public String toString() {
        return "EventRecorder[" + name + ": " + events + "]";
    }
}
