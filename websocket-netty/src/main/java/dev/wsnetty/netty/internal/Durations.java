package dev.wsnetty.netty.internal;

import java.time.Duration;

/** Durations as people write them in messages. */
public final class Durations {
    private Durations() {
    }

    /** "10 s" for whole seconds, else "250 ms". */
    public static String describe(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
