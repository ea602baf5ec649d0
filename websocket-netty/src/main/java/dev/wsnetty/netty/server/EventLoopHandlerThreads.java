package dev.wsnetty.netty.server;

import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.SharedExecutors;
import dev.wsnetty.internal.VirtualThreads;
import io.netty.channel.EventLoop;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Virtual handler threads carried by their connection's event loop ({@link ServerConfig#handlerThreadsOnEventLoop()}):
 * one thread factory per event loop of one server, whose threads the JDK schedules by handing their continuations
 * to that loop as tasks. A message completed on the loop then wakes its handler as a task on the same thread, and
 * the reply the handler writes is drained by the same loop, with no thread switch across cores.
 *
 * <p>When the JVM does not allow it (Java 17-20, or {@code java.lang} not opened to wsnetty), {@link #on} returns
 * null and the server falls back to the default scheduler; why is logged once per JVM.
 */
final class EventLoopHandlerThreads {
    private static final Log LOG = Log.of(EventLoopHandlerThreads.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    /** The executor of each event loop that has carried a handler; loops live as long as the server. */
    private final ConcurrentHashMap<EventLoop, Executor> byLoop = new ConcurrentHashMap<>();

    /**
     * An executor that starts each task on a new virtual thread carried by {@code loop}, or null when this JVM
     * does not allow it (logged once).
     */
    Executor on(EventLoop loop) {
        Executor executor = byLoop.get(loop);
        if (executor != null) {
            return executor;
        }
        String why = VirtualThreads.whySchedulerUnavailable();
        if (why != null) {
            if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                LOG.log(Log.Level.WARN, "handlerThreadsOnEventLoop is set, but " + why
                        + "; virtual handler threads run on the JVM's default scheduler");
            }
            return null;
        }
        return byLoop.computeIfAbsent(loop, l ->
                SharedExecutors.threadPerTask(VirtualThreads.newUnnamedFactoryOn(new LoopScheduler(l))));
    }

    /**
     * Runs continuations on the event loop; once the loop is shut down (the server stopped while handlers still
     * wait), on a platform thread of a shared pool, so that no handler is left stuck without a carrier.
     */
    private static final class LoopScheduler implements Executor {
        private final EventLoop loop;

        LoopScheduler(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void execute(Runnable continuation) {
            try {
                loop.execute(continuation);
            } catch (RejectedExecutionException e) {
                AfterShutdown.CARRIERS.execute(continuation);
            }
        }
    }

    private static final class AfterShutdown {
        static final Executor CARRIERS =
                SharedExecutors.cachedPool(SharedExecutors.platformThreadFactory("wsnetty-late-carrier-"));
    }
}
