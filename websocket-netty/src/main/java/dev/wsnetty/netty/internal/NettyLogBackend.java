package dev.wsnetty.netty.internal;

import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.LogBackend;
import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/**
 * wsnetty's logs through Netty's {@link InternalLoggerFactory}, so they go where Netty's own go: SLF4J, Log4j 2 or
 * {@code java.util.logging}, whichever the application has (or what it set with
 * {@link InternalLoggerFactory#setDefaultFactory}). Registered as the {@link LogBackend} service.
 */
public final class NettyLogBackend implements LogBackend {
    @Override
    public Log logger(String name) {
        InternalLogger logger = InternalLoggerFactory.getInstance(name);
        return new Log() {
            @Override
            public boolean isEnabled(Level level) {
                return logger.isEnabled(nettyLevel(level));
            }

            @Override
            public void log(Level level, String message, Throwable thrown) {
                if (thrown == null) {
                    logger.log(nettyLevel(level), message);
                } else {
                    logger.log(nettyLevel(level), message, thrown);
                }
            }
        };
    }

    private static InternalLogLevel nettyLevel(Log.Level level) {
        return switch (level) {
            case DEBUG -> InternalLogLevel.DEBUG;
            case INFO -> InternalLogLevel.INFO;
            case WARN -> InternalLogLevel.WARN;
            case ERROR -> InternalLogLevel.ERROR;
        };
    }
}
