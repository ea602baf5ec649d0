package dev.wsnetty.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link RateLimitedLog}: one line per interval and kind, the next one counting those left out. */
class RateLimitedLogTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> lines = new ArrayList<>();
    private final RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10), now::get);
    private final System.Logger logger = new Recorder(lines);

    @Test
    void repeatsWithinTheIntervalAreCountedIntoTheNextLine() {
        for (int i = 0; i < 5; i++) {
            log.warn(logger, "tls", () -> "failed");
        }
        assertEquals(List.of("WARNING failed"), lines);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.warn(logger, "tls", () -> "failed again");
        assertEquals(List.of("WARNING failed",
                "WARNING failed again (4 more like it since the last one were not logged)"), lines);
    }

    @Test
    void eachKindHasItsOwnInterval() {
        log.warn(logger, "tls", () -> "a");
        log.info(logger, "accept", () -> "b");
        log.warn(logger, "tls", () -> "c");
        assertEquals(List.of("WARNING a", "INFO b"), lines);
    }

    @Test
    void aLevelThatIsOffNeitherWritesNorTakesTheWindow() {
        log.log(logger, System.Logger.Level.DEBUG, "tls", () -> "debug");
        log.warn(logger, "tls", () -> "warning");
        assertEquals(List.of("WARNING warning"), lines);
    }

    /** A logger at INFO that records "LEVEL message". */
    private static final class Recorder implements System.Logger {
        private final List<String> lines;

        Recorder(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public String getName() {
            return "recorder";
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(level + " " + msgSupplier.get());
        }
    }
}
