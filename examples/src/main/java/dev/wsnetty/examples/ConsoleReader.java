package dev.wsnetty.examples;

import java.util.function.Consumer;

/**
 * Reads the console on a daemon thread of its own, so that an example can end (the server stopped, the
 * connection closed) while nobody is typing: a thread blocked reading stdin cannot be woken, but a daemon one
 * does not keep the JVM alive.
 */
final class ConsoleReader {
    private ConsoleReader() {
    }

    /**
     * Starts reading.
     *
     * @param name   the thread's name
     * @param console the console to read
     * @param onLine called with each line, in order, on the reading thread; returns false to stop reading
     * @param onEnd  called once when the input has ended (not when {@code onLine} stopped the reading)
     * @return the started thread
     */
    static Thread start(String name, Console console, LineHandler onLine, Runnable onEnd) {
        Thread thread = new Thread(() -> {
            String line;
            while ((line = console.readLine()) != null) {
                if (!onLine.handle(line)) {
                    return;
                }
            }
            onEnd.run();
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** What to do with one typed line. */
    @FunctionalInterface
    interface LineHandler {
        /**
         * Handles {@code line}.
         *
         * @return whether to read on
         */
        boolean handle(String line);
    }

    /** A {@link LineHandler} that always reads on. */
    static LineHandler each(Consumer<String> consumer) {
        return line -> {
            consumer.accept(line);
            return true;
        };
    }
}
