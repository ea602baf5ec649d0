package dev.wsnetty.bench.profile;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a server's Java time went in a JFR recording, for {@code profile-echo.sh}: the {@code jdk.ExecutionSample}
 * events (Java code running on a CPU) counted by thread, by top frame (self time) and by the first wsnetty frame
 * under the top (the library call that time was spent under); the {@code jdk.NativeMethodSample} events (threads
 * in native code: system calls, or parked) by thread and top frame; and the collections with their pauses.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.profile.JfrTopFrames server.jfr [rows [fromMillis toMillis]]</pre>
 *
 * With a window (epoch milliseconds), only the events that started inside it count.
 */
public final class JfrTopFrames {
    private static final String OURS = "dev.wsnetty.";

    private final Map<String, Integer> javaByThread = new HashMap<>();
    private final Map<String, Integer> javaByTopFrame = new HashMap<>();
    private final Map<String, Integer> javaByOurFrame = new HashMap<>();
    private final Map<String, Integer> nativeByThread = new HashMap<>();
    private final Map<String, Integer> nativeByTopFrame = new HashMap<>();
    private final Map<String, Integer> collectionsByCause = new HashMap<>();
    private int javaSamples;
    private int nativeSamples;
    private int collections;
    private Duration pauses = Duration.ZERO;

    private JfrTopFrames() {
    }

    /**
     * Prints the summary of the recording {@code args[0]}, {@code args[1]} rows per table (default 15), of the
     * events that started between the epoch milliseconds {@code args[2]} and {@code args[3]} if given.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length == 3) {
            System.err.println("usage: JfrTopFrames recording.jfr [rows [fromMillis toMillis]]");
            System.exit(2);
        }
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Instant from = args.length > 2 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : Instant.MIN;
        Instant to = args.length > 2 ? Instant.ofEpochMilli(Long.parseLong(args[3])) : Instant.MAX;
        System.out.print(summary(Path.of(args[0]), rows, from, to));
    }

    /** The summary of the events of {@code recording} that started in [{@code from}, {@code to}). */
    static String summary(Path recording, int rows, Instant from, Instant to) throws IOException {
        JfrTopFrames summary = new JfrTopFrames();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getStartTime().isBefore(from) && event.getStartTime().isBefore(to)) {
                summary.add(event);
            }
        }
        return summary.report(rows);
    }

    private void add(RecordedEvent event) {
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample":
                javaSamples++;
                count(javaByThread, threadName(event.getThread("sampledThread")));
                count(javaByTopFrame, topFrame(event.getStackTrace()));
                count(javaByOurFrame, firstOurFrame(event.getStackTrace()));
                break;
            case "jdk.NativeMethodSample":
                nativeSamples++;
                count(nativeByThread, threadName(event.getThread("sampledThread")));
                count(nativeByTopFrame, topFrame(event.getStackTrace()));
                break;
            case "jdk.GarbageCollection":
                collections++;
                pauses = pauses.plus(event.getDuration("sumOfPauses"));
                count(collectionsByCause, event.getString("cause"));
                break;
            default:
                break;
        }
    }

    private String report(int rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Java samples (jdk.ExecutionSample): %d%n", javaSamples));
        table(sb, "by thread", javaByThread, javaSamples, rows);
        table(sb, "by top frame (self)", javaByTopFrame, javaSamples, rows);
        table(sb, "by first wsnetty frame from the top", javaByOurFrame, javaSamples, rows);
        sb.append(String.format(Locale.ROOT, "%nNative samples (jdk.NativeMethodSample: in a system call or parked): %d%n",
                nativeSamples));
        table(sb, "by thread", nativeByThread, nativeSamples, rows);
        table(sb, "by top frame", nativeByTopFrame, nativeSamples, rows);
        sb.append(String.format(Locale.ROOT, "%nCollections: %d, pauses %d ms in all%n", collections, pauses.toMillis()));
        table(sb, "by cause", collectionsByCause, collections, rows);
        return sb.toString();
    }

    private static void table(StringBuilder sb, String title, Map<String, Integer> counts, int total, int rows) {
        sb.append("  ").append(title).append(":\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(rows)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "    %5.1f %%  %6d  %s%n",
                        100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey())));
    }

    private static void count(Map<String, Integer> counts, String key) {
        counts.merge(key, 1, Integer::sum);
    }

    /** The thread's name; the handler's virtual threads are unnamed, so they are grouped as one. */
    private static String threadName(RecordedThread thread) {
        if (thread == null) {
            return "(unknown)";
        }
        String name = thread.getJavaName();
        if (name == null || name.isEmpty()) {
            return "(unnamed: virtual threads)";
        }
        // Pool threads differ only in their number: one row per pool.
        return name.replaceAll("-\\d+$", "-N");
    }

    private static String topFrame(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "(no stack)";
        }
        return frameName(stack.getFrames().get(0));
    }

    private static String firstOurFrame(RecordedStackTrace stack) {
        if (stack == null) {
            return "(no stack)";
        }
        List<RecordedFrame> frames = stack.getFrames();
        for (RecordedFrame frame : frames) {
            if (frame.isJavaFrame() && frame.getMethod().getType().getName().startsWith(OURS)) {
                return frameName(frame);
            }
        }
        return stack.isTruncated() ? "(none in the recorded frames)" : "(none: not under wsnetty code)";
    }

    private static String frameName(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + '.' + frame.getMethod().getName();
    }
}
