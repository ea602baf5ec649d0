package dev.wsnetty.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records the {@code java.util.logging} records (where {@code System.Logger} and Netty's logging end up by default)
 * of the loggers under one name while open, so a test can count what a run logged. Close it to restore the
 * logger's level.
 *
 * <pre>{@code
 * try (LogCapture log = new LogCapture("dev.wsnetty")) {          // every level, DEBUG and TRACE included
 *     ...
 *     assertEquals(List.of(), log.messages(Level.SEVERE));
 * }
 * try (LogCapture log = new LogCapture("", Level.INFO)) {         // the whole JVM, INFO and above
 *     ...
 *     assertEquals(1, log.containing("too many open files").size(), log.describe());
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level least;
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            // Children with a lower level of their own pass records below ours up to this handler: leave them out.
            if (record.getLevel().intValue() >= least.intValue()) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts recording every level, down to FINEST.
     *
     * @param loggerName the logger whose records (and its children's) are recorded, e.g. a package name
     */
    public LogCapture(String loggerName) {
        this(loggerName, Level.ALL);
    }

    /**
     * Starts recording {@code least} and above.
     *
     * @param loggerName the logger whose records (and its children's) are recorded; {@code ""} for the root, i.e.
     *                   everything the JVM logs
     * @param least      the lowest level recorded; the logger is set to it while the capture is open
     */
    public LogCapture(String loggerName, Level least) {
        this.logger = Logger.getLogger(loggerName);
        this.least = least;
        previousLevel = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.setLevel(least);
        logger.addHandler(handler);
    }

    /** The records so far, in order. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The records so far at exactly {@code level}. */
    public List<LogRecord> records(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).collect(Collectors.toList());
    }

    /** The messages of the records so far at exactly {@code level}, with the thrown exception if any. */
    public List<String> messages(Level level) {
        return records(level).stream()
                .map(r -> r.getMessage() + (r.getThrown() != null ? " [" + r.getThrown() + "]" : ""))
                .collect(Collectors.toList());
    }

    /** The records whose message, or the message of whose exception, contains {@code text}. */
    public List<LogRecord> containing(String text) {
        return records.stream().filter(r -> (r.getMessage() != null && r.getMessage().contains(text))
                        || (r.getThrown() != null && String.valueOf(r.getThrown().getMessage()).contains(text)))
                .collect(Collectors.toList());
    }

    /** Every record so far as "logger: message [thrown]", in order. */
    public List<String> lines() {
        return records.stream().map(LogCapture::line).collect(Collectors.toList());
    }

    /** Every record so far, a line each, for failure messages. */
    public String describe() {
        return describe(records);
    }

    /** {@code records}, a line each as "logger: message [thrown]", for failure messages. */
    public static String describe(List<LogRecord> records) {
        return records.stream().map(LogCapture::line).collect(Collectors.joining("\n"));
    }

    private static String line(LogRecord r) {
        return r.getLoggerName() + ": " + r.getMessage() + (r.getThrown() != null ? " [" + r.getThrown() + "]" : "");
    }

    /** Stops recording and restores the logger's level. */
    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
