package dev.wsnetty;

import dev.wsnetty.internal.SharedExecutors;
import dev.wsnetty.internal.VirtualThreads;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/** The executor behind each {@link HandlerThreadKind}, created on first use and shared by every handler. */
final class HandlerExecutors {
    private static final ThreadFactory PLATFORM = SharedExecutors.platformThreadFactory("wsnetty-handler-");

    private HandlerExecutors() {
    }

    /**
     * Where a plain {@link WebSocketHandler}'s connections run: a new virtual thread per connection on Java 21+,
     * else a pooled daemon platform thread ({@code wsnetty-connection-N}).
     */
    static Executor connectionExecutor() {
        return ConnectionHolder.EXECUTOR;
    }

    static Executor of(HandlerThreadKind kind) {
        return switch (kind) {
            case VIRTUAL -> VirtualHolder.EXECUTOR;
            case POOLED_PLATFORM -> PoolHolder.EXECUTOR;
            case NEW_PLATFORM -> NewThreadHolder.EXECUTOR;
        };
    }

    private static final class ConnectionHolder {
        static final Executor EXECUTOR = VirtualThreads.isAvailable()
                ? SharedExecutors.threadPerTask(VirtualThreads.newFactory("wsnetty-connection-"))
                : SharedExecutors.cachedPool(SharedExecutors.platformThreadFactory("wsnetty-connection-"));
    }

    private static final class VirtualHolder {
        static final Executor EXECUTOR =
                SharedExecutors.threadPerTask(VirtualThreads.newUnnamedFactory());
    }

    private static final class PoolHolder {
        static final Executor EXECUTOR = SharedExecutors.cachedPool(PLATFORM);
    }

    private static final class NewThreadHolder {
        static final Executor EXECUTOR = SharedExecutors.threadPerTask(PLATFORM);
    }
}
