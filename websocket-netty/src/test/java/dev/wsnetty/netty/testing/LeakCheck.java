package dev.wsnetty.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Turns the leaks Netty's {@link ResourceLeakDetector} reports into test failures.
 *
 * <p>Loading this class installs a {@link ResourceLeakDetectorFactory} that records every report. It must
 * happen before Netty creates its detectors (they are static fields, for {@code ByteBuf} in
 * {@code AbstractByteBuf}), so {@link LeakCheckExtension} loads it when JUnit starts, before any test
 * class runs; loading it too late fails loudly rather than silently checking nothing. The detector level is
 * raised to {@link ResourceLeakDetector.Level#PARANOID} so that every buffer is tracked, also when a test
 * is started without the build's JVM options.
 */
public final class LeakCheck {
    /** Garbage collections per thorough check: one normally suffices, more cover objects freed in chains. */
    private static final int GC_ROUNDS = 3;
    /** Upper bound on waiting for the reference handler after one collection. */
    private static final long GC_WAIT_MILLIS = 2_000;

    private static final Queue<LeakReport> REPORTS = new ConcurrentLinkedQueue<>();
    private static final RecordingLeakDetectorFactory FACTORY = installFactory();

    private LeakCheck() {
    }

    private static RecordingLeakDetectorFactory installFactory() {
        RecordingLeakDetectorFactory factory = new RecordingLeakDetectorFactory(REPORTS::add);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(factory);
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        // Allocating initialises AbstractByteBuf, which asks the factory for its detector exactly once.
        ByteBufAllocator.DEFAULT.buffer(1).release();
        if (!factory.createdDetectorFor(ByteBuf.class)) {
            throw new IllegalStateException("Netty created its ByteBuf leak detector before LeakCheck installed"
                    + " its factory, so leaks would go unnoticed: something initialised Netty's buffers before"
                    + " JUnit loaded LeakCheckExtension (is junit.jupiter.extensions.autodetection.enabled=true"
                    + " set in junit-platform.properties?)");
        }
        return factory;
    }

    /** Makes sure the recording factory is installed; calling it again does nothing. */
    public static void install() {
        // The work is done once, by the static initialiser that this call triggers.
    }

    /**
     * Fails if Netty has reported leaks since the last check. Cheap (no garbage collection), so it only sees
     * leaks of objects the collector has already found unreachable, possibly left by an earlier test.
     *
     * @param where what has just run, for the failure message
     */
    public static void assertNoLeaks(String where) {
        FACTORY.reportCollectedLeaks();
        failOnReports(where);
    }

    /**
     * Collects garbage a few times, lets every detector report what became unreachable, and fails if any
     * leak was reported since the last check.
     *
     * @param where what has just run, for the failure message
     */
    public static void assertNoLeaksAfterGc(String where) {
        for (int round = 0; round < GC_ROUNDS; round++) {
            collectGarbage();
            FACTORY.reportCollectedLeaks();
        }
        failOnReports(where);
    }

    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
        System.gc();
        try {
            // The sentinel is enqueued by the same reference handler that enqueues Netty's leak references.
            queue.remove(GC_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Reference.reachabilityFence(sentinel);
    }

    private static void failOnReports(String where) {
        List<LeakReport> leaks = new ArrayList<>();
        for (LeakReport leak; (leak = REPORTS.poll()) != null; ) {
            leaks.add(leak);
        }
        if (leaks.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder()
                .append("Netty's ResourceLeakDetector reported ").append(leaks.size())
                .append(" leaked resource(s), found after ").append(where)
                .append(" (the leak itself may have happened earlier in this JVM; the records say where).")
                .append(" Every reference-counted object must be released exactly once.");
        for (int i = 0; i < leaks.size(); i++) {
            message.append("\n\n#").append(i + 1).append(' ').append(leaks.get(i));
        }
        fail(message.toString());
    }
}
