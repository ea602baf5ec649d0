package dev.wsnetty.internal;

import java.time.Duration;
import java.util.Objects;

/** The argument checks of the configuration builders, so that every setting is refused in the same words. */
public final class SettingChecks {
    private SettingChecks() {
    }

    /** {@code value}, or IllegalArgumentException naming the setting when it is below {@code min}. */
    public static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /** {@code d}, or IllegalArgumentException naming the setting when it is shorter than {@code min}. */
    public static Duration atLeast(Duration d, Duration min, String name) {
        Objects.requireNonNull(d, name);
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + d);
        }
        return d;
    }

    /** {@code d}, or IllegalArgumentException naming the setting when it is negative. */
    public static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return d;
    }
}
