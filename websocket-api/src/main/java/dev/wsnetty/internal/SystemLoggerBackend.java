package dev.wsnetty.internal;

/** {@link LogBackend}'s fallback: {@link System.Logger} (by default {@code java.util.logging}). */
final class SystemLoggerBackend {
    private SystemLoggerBackend() {
    }

    static Log logger(String name) {
        System.Logger logger = System.getLogger(name);
        return new Log() {
            @Override
            public boolean isEnabled(Level level) {
                return logger.isLoggable(systemLevel(level));
            }

            @Override
            public void log(Level level, String message, Throwable thrown) {
                logger.log(systemLevel(level), message, thrown);
            }
        };
    }

    private static System.Logger.Level systemLevel(Log.Level level) {
        return switch (level) {
            case DEBUG -> System.Logger.Level.DEBUG;
            case INFO -> System.Logger.Level.INFO;
            case WARN -> System.Logger.Level.WARNING;
            case ERROR -> System.Logger.Level.ERROR;
        };
    }
}
