package dev.wsnetty.examples;

/**
 * One of the runnable examples: runs in the calling thread, talking through its {@link Console}, until it is
 * done or {@link #stop() stopped}.
 */
public interface ConsoleExample {
    /**
     * Runs the example until the user ends it ({@code exit}), the connection ends (client) or {@link #stop()} is
     * called.
     *
     * @return the process exit status: 0 for a normal end, 1 when the example could not do its job (a port in
     *         use, a server that cannot be reached)
     */
    int run();

    /**
     * Ends the example from another thread (Ctrl+C): a server closes every connection with 1001 and stops
     * listening, the client closes its connection. Makes {@link #run()} return; does nothing if it already ended.
     */
    void stop();

    /**
     * Makes the JVM's shutdown (Ctrl+C, SIGTERM) {@link #stop()} the example cleanly first, until it ends. The
     * default registers a shutdown hook; the servers use {@code WebSocketServer.stopOnShutdown} instead.
     *
     * @return what to call when {@link #run()} has returned: removes the hook
     */
    default Runnable stopOnJvmShutdown() {
        Thread hook = new Thread(this::stop, "wsnetty-examples-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl+C arrived while the example was ending: the hook is already running, which is fine.
            }
        };
    }
}
