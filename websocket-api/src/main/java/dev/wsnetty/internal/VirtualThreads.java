package dev.wsnetty.internal;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads when the running JVM has them (Java 21 or later), found at run time because wsnetty is compiled
 * for Java 17. On Java 19 and 20 they are a preview feature and count as unavailable unless previews are enabled.
 */
public final class VirtualThreads {
    private static final Method OF_VIRTUAL;
    private static final Method BUILDER_NAME;
    private static final Method BUILDER_FACTORY;
    private static final Method IS_VIRTUAL;

    static {
        Method ofVirtual = null;
        Method name = null;
        Method factory = null;
        Method isVirtual = null;
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            ofVirtual = Thread.class.getMethod("ofVirtual");
            name = builder.getMethod("name", String.class, long.class);
            factory = builder.getMethod("factory");
            isVirtual = Thread.class.getMethod("isVirtual");
            ofVirtual.invoke(null); // throws on a JVM where they are a preview feature not enabled
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            ofVirtual = null;
        }
        OF_VIRTUAL = ofVirtual;
        BUILDER_NAME = name;
        BUILDER_FACTORY = factory;
        IS_VIRTUAL = isVirtual;
    }

    private VirtualThreads() {
    }

    /** Whether this JVM can create virtual threads. */
    public static boolean isAvailable() {
        return OF_VIRTUAL != null;
    }

    /**
     * A factory of unstarted virtual threads named {@code prefix + n} (n = 1, 2, ...); safe for concurrent use.
     *
     * @throws UnsupportedOperationException if this JVM has no virtual threads
     */
    public static ThreadFactory newFactory(String prefix) {
        return newFactory(Objects.requireNonNull(prefix, "prefix"), true);
    }

    /**
     * A factory of unstarted virtual threads without a name (their name is the empty string, as with the JDK's
     * {@code Executors.newVirtualThreadPerTaskExecutor()}); safe for concurrent use. For threads that may be
     * parked by the ten thousand: a name costs each of them a string of about 70 bytes.
     *
     * @throws UnsupportedOperationException if this JVM has no virtual threads
     */
    public static ThreadFactory newUnnamedFactory() {
        return newFactory(null, false);
    }

    private static ThreadFactory newFactory(String prefix, boolean named) {
        if (!isAvailable()) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or later; this JVM is Java "
                    + Runtime.version().feature());
        }
        try {
            Object builder = OF_VIRTUAL.invoke(null);
            if (named) {
                builder = BUILDER_NAME.invoke(builder, prefix, 1L);
            }
            return (ThreadFactory) BUILDER_FACTORY.invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual thread builder failed although virtual threads exist", e);
        }
    }

    /** Whether {@code thread} is a virtual thread (always false on a JVM without them). */
    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (Boolean) IS_VIRTUAL.invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
