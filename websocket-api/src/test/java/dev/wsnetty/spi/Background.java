package dev.wsnetty.spi;

import dev.wsnetty.testing.Await;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A blocking call run on its own thread, so a test can check that it blocks and then collect its result. */
public final class Background<T> {
    private final FutureTask<T> task;
    private final Thread thread;

    private Background(Callable<T> call, String name) {
        task = new FutureTask<>(call);
        thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    public static <T> Background<T> start(String name, Callable<T> call) {
        return new Background<>(call, name);
    }

    /** A call that returns nothing. */
    public interface Action {
        void run() throws Exception;
    }

    public static Background<Void> run(String name, Action action) {
        return new Background<>(() -> {
            action.run();
            return null;
        }, name);
    }

    public Thread thread() {
        return thread;
    }

    /** Blocks until the call is parked inside a wait. */
    public Background<T> awaitParked() {
        Await.parked(thread);
        return this;
    }

    public boolean isDone() {
        return task.isDone();
    }

    /** The call's result, waiting at most 10 s; a failure of the call is rethrown as is. */
    public T get() throws Exception {
        try {
            return task.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError(thread.getName() + " did not finish in time", e);
        }
    }
}
