package dev.wsnetty.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link RateLimitedLog}: one line per interval and kind, the next one counting those left out. */
class RateLimitedLogTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> lines = new ArrayList<>();
    private final RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10), now::get);
    private final Log logger = new Recorder(lines);

    @Test
    void repeatsWithinTheIntervalAreCountedIntoTheNextLine() {
        for (int i = 0; i < 5; i++) {
            log.warn(logger, "tls", () -> "failed");
        }
        assertEquals(List.of("WARN failed"), lines);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.warn(logger, "tls", () -> "failed again");
        assertEquals(List.of("WARN failed",
                "WARN failed again (4 more like it since the last one were not logged)"), lines);
    }

    @Test
    void eachKindHasItsOwnInterval() {
        log.warn(logger, "tls", () -> "a");
        log.info(logger, "accept", () -> "b");
        log.warn(logger, "tls", () -> "c");
        assertEquals(List.of("WARN a", "INFO b"), lines);
    }

    @Test
    void aLevelThatIsOffNeitherWritesNorTakesTheWindow() {
        log.log(logger, Log.Level.DEBUG, "tls", () -> "debug");
        log.warn(logger, "tls", () -> "warning");
        assertEquals(List.of("WARN warning"), lines);
    }

    /** A logger at INFO that records "LEVEL message". */
    private static final class Recorder implements Log {
        private final List<String> lines;

        Recorder(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public boolean isEnabled(Level level) {
            return level.compareTo(Level.INFO) >= 0;
        }

        @Override
        public void log(Level level, String message, Throwable thrown) {
            lines.add(level + " " + message);
        }
    }
}
