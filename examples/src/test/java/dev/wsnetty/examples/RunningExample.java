package dev.wsnetty.examples;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** An example running in-process on a thread of its own, on a {@link ScriptedConsole}. */
final class RunningExample implements AutoCloseable {
    /** How long any single expected thing may take before a test fails; generous for a loaded 2-core machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    final ConsoleExample example;
    final ScriptedConsole console;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private RunningExample(ConsoleExample example, ScriptedConsole console) {
        this.example = example;
        this.console = console;
    }

    /** Starts {@code example} on a new thread. */
    static RunningExample start(ConsoleExample example, ScriptedConsole console, String name) {
        RunningExample running = new RunningExample(example, console);
        Thread thread = new Thread(() -> {
            try {
                running.exit.complete(example.run());
            } catch (Throwable t) {
                running.exit.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return running;
    }

    /**
     * Starts a broadcast server on 127.0.0.1 and a free port, with {@code moreOptions} (e.g. {@code --tls}), and
     * waits until it listens.
     */
    static RunningExample broadcastServer(String... moreOptions) throws Exception {
        ScriptedConsole console = new ScriptedConsole();
        RunningExample running = start(new BroadcastServer(serverOptions(ExampleKind.BROADCAST_SERVER, moreOptions),
                console.console), console, "broadcast-server");
        running.awaitListening("Broadcast server listening on ");
        return running;
    }

    /** Starts a chat server on 127.0.0.1 and a free port, and waits until it listens. */
    static RunningExample chatServer() throws Exception {
        ScriptedConsole console = new ScriptedConsole();
        RunningExample running = start(new ChatServer(serverOptions(ExampleKind.CHAT_SERVER), console.console),
                console, "chat-server");
        running.awaitListening("Chat server listening on ");
        return running;
    }

    private static ExampleOptions serverOptions(ExampleKind kind, String... moreOptions) throws UsageException {
        String[] args = Stream.concat(Stream.of("--host", "127.0.0.1", "--port", "0"),
                Stream.of(moreOptions)).toArray(String[]::new);
        return ExampleOptions.parse(kind, args);
    }

    private int port;

    private void awaitListening(String banner) {
        String line = console.out.awaitStartingWith(banner, TIMEOUT);
        port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }

    /** The port a server example listens on, read from its banner. */
    int port() {
        return port;
    }

    /** The WebSocket URL of a server example, with {@code path}. */
    String url(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    /** Waits for the example's {@code run()} to return. */
    int awaitExit(Duration timeout) throws InterruptedException {
        try {
            return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the example failed", e.getCause());
        } catch (TimeoutException e) {
            return fail("the example did not end within " + timeout.toMillis() + " ms; it printed: "
                    + console.out.lines() + ", errors: " + console.err.lines());
        }
    }

    /** Whether {@code run()} has returned. */
    boolean hasEnded() {
        return exit.isDone();
    }

    /** Stops the example and ends its input, so that no thread of it is left behind. */
    @Override
    public void close() throws InterruptedException {
        example.stop();
        console.input.end();
        awaitExit(TIMEOUT);
    }
}
