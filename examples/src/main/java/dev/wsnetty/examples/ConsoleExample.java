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
}
