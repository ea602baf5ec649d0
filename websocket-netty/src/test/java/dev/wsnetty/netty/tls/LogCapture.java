package dev.wsnetty.netty.tls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records every log record of the JVM (the root {@code java.util.logging} logger, where {@code System.Logger} and
 * Netty's logging end up) while open, down to FINE for this package, so a test can assert how many lines a
 * failure produced.
 */
final class LogCapture implements AutoCloseable {
    private static final Logger ROOT = Logger.getLogger("");
    private static final Logger TLS = Logger.getLogger("dev.wsnetty.netty.tls");

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Level previousTlsLevel = TLS.getLevel();
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

    LogCapture() {
        handler.setLevel(Level.ALL);
        TLS.setLevel(Level.FINE);
        ROOT.addHandler(handler);
    }

    /** The messages of the records at INFO or above, from any logger, in order. */
    List<String> infoAndAbove() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                .map(r -> r.getLoggerName() + ": " + r.getMessage()
                        + (r.getThrown() != null ? " [" + r.getThrown() + "]" : ""))
                .collect(Collectors.toList());
    }

    /** The messages of the FINE records of this package (DEBUG through {@code System.Logger}). */
    List<String> tlsDebug() {
        return records.stream().filter(r -> r.getLevel() == Level.FINE && r.getLoggerName().startsWith(TLS.getName()))
                .map(LogRecord::getMessage).collect(Collectors.toList());
    }

    @Override
    public void close() {
        ROOT.removeHandler(handler);
        TLS.setLevel(previousTlsLevel);
    }
}
