package dev.wsnetty.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records the {@code java.util.logging} records (where {@code System.Logger} ends up by default) of the loggers
 * under one name while open, at every level down to FINEST (DEBUG and TRACE through {@code System.Logger}), so a
 * test can count what a run logged. Close it to restore the logger's level.
 *
 * <pre>{@code
 * try (LogCapture log = new LogCapture("dev.wsnetty")) {
 *     ...
 *     assertEquals(List.of(), log.messages(Level.SEVERE));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts recording.
     *
     * @param loggerName the logger whose records (and its children's) are recorded, e.g. a package name
     */
    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        previousLevel = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** The records so far, in order. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The records so far at exactly {@code level}. */
    public List<LogRecord> records(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).toList();
    }

    /** The messages of the records so far at exactly {@code level}, with the thrown exception if any. */
    public List<String> messages(Level level) {
        return records(level).stream()
                .map(r -> r.getMessage() + (r.getThrown() != null ? " [" + r.getThrown() + "]" : "")).toList();
    }

    /** Stops recording and restores the logger's level. */
    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
