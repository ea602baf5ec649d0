package dev.wsnetty.internal;

import java.util.function.Supplier;

/**
 * A logger of wsnetty's own code. Where its lines go is decided once per JVM by {@link LogBackend}: with
 * {@code websocket-netty} present, Netty's {@code InternalLoggerFactory} (SLF4J, Log4j 2 or
 * {@code java.util.logging}, whichever the application has); else {@link System.Logger}. Loggers are named after
 * the class that writes (a few after their package), so an application tunes them by package. Every call writes
 * one line. Thread-safe.
 */
public interface Log {
    /** The four levels wsnetty writes at. */
    enum Level {
        /** What a developer looks at when a connection misbehaves; off in production. */
        DEBUG,
        /** Rare facts about the process: the TLS provider, a refused TLS client. */
        INFO,
        /** Something an operator should see: a failing listener, a setting that could not be honoured. */
        WARN,
        /** A bug in the application's code (an exception from a handler) or in wsnetty. */
        ERROR
    }

    /** The logger named after {@code type}'s fully qualified name. */
    static Log of(Class<?> type) {
        return named(type.getName());
    }

    /** The logger of {@code name} (a class or package name). */
    static Log named(String name) {
        return LogBackend.INSTALLED.logger(name);
    }

    /** Whether a line at {@code level} would be written. */
    boolean isEnabled(Level level);

    /** Writes {@code message}, and {@code thrown}'s stack trace unless it is null, at {@code level}. */
    void log(Level level, String message, Throwable thrown);

    /** Writes {@code message} at {@code level}. */
    default void log(Level level, String message) {
        log(level, message, null);
    }

    /** Writes the supplied message at {@code level}; the supplier is called only if the level is enabled. */
    default void log(Level level, Supplier<String> message) {
        if (isEnabled(level)) {
            log(level, message.get(), null);
        }
    }

    /** Writes the supplied message and {@code thrown} at {@code level} if the level is enabled. */
    default void log(Level level, Supplier<String> message, Throwable thrown) {
        if (isEnabled(level)) {
            log(level, message.get(), thrown);
        }
    }
}
