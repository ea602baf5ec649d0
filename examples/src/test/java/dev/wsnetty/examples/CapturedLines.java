package dev.wsnetty.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** What an example printed, line by line (UTF-8), with deadline-based waits for the lines a test expects. */
final class CapturedLines extends OutputStream {
    private final String name;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();

    /** A capture called {@code name} in failure messages ("stdout", "stderr"). */
    CapturedLines(String name) {
        this.name = name;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            notifyAll();
        } else {
            partial.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** Every complete line so far. */
    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Waits for {@code expected}, exactly, from the start of the capture. */
    String await(String expected, Duration timeout) {
        return await(expected::equals, '"' + expected + '"', 0, timeout);
    }

    /** Waits for a line starting with {@code prefix}, from the start of the capture. */
    String awaitStartingWith(String prefix, Duration timeout) {
        return await(line -> line.startsWith(prefix), "a line starting with \"" + prefix + '"', 0, timeout);
    }

    /** Waits for a line containing {@code part}, from the start of the capture. */
    String awaitContaining(String part, Duration timeout) {
        return await(line -> line.contains(part), "a line containing \"" + part + '"', 0, timeout);
    }

    /** Waits until {@code expected} was printed {@code times} times in all. */
    synchronized void awaitTimes(String expected, int times, Duration timeout) {
        int from = 0;
        for (int seen = 0; seen < times; seen++) {
            await(expected::equals, '"' + expected + "\" (" + (seen + 1) + " of " + times + " times)", from, timeout);
            from = indexOf(expected, from) + 1;
        }
    }

    private int indexOf(String expected, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).equals(expected)) {
                return i;
            }
        }
        return -1;
    }

    /** How many lines are complete, to wait for lines printed after this point with {@link #await(Predicate, String, int, Duration)}. */
    synchronized int mark() {
        return lines.size();
    }

    /**
     * Waits until a line at index {@code from} or later matches.
     *
     * @return the line
     */
    synchronized String await(Predicate<String> matcher, String description, int from, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        for (;;) {
            for (; next < lines.size(); next++) {
                if (matcher.test(lines.get(next))) {
                    return lines.get(next);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no " + description + " on " + name + " within " + timeout.toMillis() + " ms; it printed: " + lines);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + description);
            }
        }
    }
}
