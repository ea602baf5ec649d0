package dev.wsnetty.internal;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Where wsnetty's {@link Log}s write: a service that {@code websocket-netty} provides (through Netty's
 * {@code InternalLoggerFactory}), found once with {@link ServiceLoader}; without one, {@link System.Logger}
 * (the API module alone has no Netty).
 */
public interface LogBackend {
    /** The backend of this JVM, chosen when the first {@link Log} is made. */
    LogBackend INSTALLED = find();

    /** The logger of {@code name}. */
    Log logger(String name);

    private static LogBackend find() {
        try {
            Iterator<LogBackend> found =
                    ServiceLoader.load(LogBackend.class, LogBackend.class.getClassLoader()).iterator();
            if (found.hasNext()) {
                return found.next();
            }
        } catch (ServiceConfigurationError e) {
            // A broken provider must not fail every class that logs: System.Logger still works.
        }
        return SystemLoggerBackend::logger;
    }
}
