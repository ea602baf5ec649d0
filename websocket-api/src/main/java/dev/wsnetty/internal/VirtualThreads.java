package dev.wsnetty.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.Executor;
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
    /** The JDK's internal builder of virtual threads on a given scheduler; null when the JVM does not allow it. */
    private static final Constructor<?> BUILDER_ON_SCHEDULER;
    /** Why {@link #BUILDER_ON_SCHEDULER} is null; null when it is not. */
    private static final String NO_SCHEDULER_HOOK;

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
        Constructor<?> onScheduler = null;
        String why = null;
        if (ofVirtual == null) {
            why = "this JVM (Java " + Runtime.version().feature() + ") has no virtual threads";
        } else {
            try {
                onScheduler = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                        .getDeclaredConstructor(Executor.class);
                onScheduler.setAccessible(true); // refused unless java.base opens java.lang to this module
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                onScheduler = null;
                why = "the JDK's virtual-thread scheduler hook is not accessible (" + e
                        + "); run the JVM with --add-opens java.base/java.lang=ALL-UNNAMED (class path) or"
                        + " =dev.wsnetty (module path)";
            }
        }
        BUILDER_ON_SCHEDULER = onScheduler;
        NO_SCHEDULER_HOOK = why;
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

    /**
     * Why {@link #newUnnamedFactoryOn} cannot work on this JVM (no virtual threads, or the JDK's internal
     * scheduler hook is not opened to wsnetty), or null when it can.
     */
    public static String whySchedulerUnavailable() {
        return NO_SCHEDULER_HOOK;
    }

    /**
     * A factory of unstarted, unnamed virtual threads that run on {@code scheduler} instead of the JVM's shared
     * fork-join pool: each time such a thread is started or unparked, the JDK hands its continuation to
     * {@code scheduler.execute}, and whatever thread runs that task carries the virtual thread until it parks
     * again. Uses an internal JDK constructor (Java 21 to at least 25) reached by reflection; see
     * {@link #whySchedulerUnavailable()}. Safe for concurrent use.
     *
     * @param scheduler runs the virtual threads' continuations; must never refuse a task (a continuation it drops
     *                  leaves its thread stuck for good)
     * @throws UnsupportedOperationException if this JVM does not allow it, saying why
     */
    public static ThreadFactory newUnnamedFactoryOn(Executor scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        if (BUILDER_ON_SCHEDULER == null) {
            throw new UnsupportedOperationException(NO_SCHEDULER_HOOK);
        }
        try {
            return (ThreadFactory) BUILDER_FACTORY.invoke(BUILDER_ON_SCHEDULER.newInstance(scheduler));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnsupportedOperationException("the JDK's virtual-thread scheduler hook failed: " + e, e);
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
