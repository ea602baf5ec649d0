package dev.wsnetty.bench.profile;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JfrTopFrames} over a real recording of this JVM: a thread that only spins in one method is that method's
 * samples, by thread and by top frame; a window that ends before the recording counts nothing.
 */
class JfrTopFramesTest {
    private static volatile long sink;

    @Test
    void aSpinningThreadsMethodIsItsTopFrameAndAWindowBeforeTheRecordingIsEmpty(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spin.jfr");
        Instant before = Instant.now().minusSeconds(60);
        String summary = "";
        Thread spinner = new Thread(JfrTopFramesTest::spinUntilInterrupted, "spinner-7");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            spinner.start();
            // Sampling is not guaranteed at any rate on a busy machine: dump until the spinner was sampled.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!summary.contains("JfrTopFramesTest.spinUntilInterrupted") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                recording.dump(file);
                summary = JfrTopFrames.summary(file, 10, Instant.MIN, Instant.MAX);
            }
        } finally {
            spinner.interrupt();
            spinner.join();
        }
        assertTrue(summary.contains("JfrTopFramesTest.spinUntilInterrupted"), summary);
        assertTrue(summary.contains("spinner-N"), "pool-style names grouped by their number: " + summary);
        String early = JfrTopFrames.summary(file, 10, before, before.plusSeconds(1));
        assertTrue(early.startsWith("Java samples (jdk.ExecutionSample): 0"), early);
        assertFalse(early.contains("spinUntilInterrupted"), early);
    }

    private static void spinUntilInterrupted() {
        long x = 0;
        while (!Thread.currentThread().isInterrupted()) {
            x = x * 31 + 7;
        }
        sink = x;
    }
}
