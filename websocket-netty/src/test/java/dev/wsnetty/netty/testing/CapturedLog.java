package dev.wsnetty.netty.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records every log record at INFO or above of the JVM (the root {@code java.util.logging} logger, where
 * {@code System.Logger} and Netty's logging end up) while open, so a test can count the lines an attack produced
 * and check that they carry no stack trace.
 */
public final class CapturedLog implements AutoCloseable {
    private static final Logger ROOT = Logger.getLogger("");

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
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

    /** Starts recording. */
    public CapturedLog() {
        handler.setLevel(Level.ALL);
        ROOT.addHandler(handler);
    }

    /** The records at INFO or above, in order. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The records whose message, or the message of whose exception, contains {@code text}. */
    public List<LogRecord> containing(String text) {
        return records.stream().filter(r -> (r.getMessage() != null && r.getMessage().contains(text))
                        || (r.getThrown() != null && String.valueOf(r.getThrown().getMessage()).contains(text)))
                .collect(Collectors.toList());
    }

    /** Each record as "logger: message [thrown]", for failure messages. */
    public static String describe(List<LogRecord> records) {
        return records.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()
                + (r.getThrown() != null ? " [" + r.getThrown() + "]" : "")).collect(Collectors.joining("\n"));
    }

    /** Stops recording. */
    @Override
    public void close() {
        ROOT.removeHandler(handler);
    }
}
