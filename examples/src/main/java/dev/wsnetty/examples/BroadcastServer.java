package dev.wsnetty.examples;

import dev.wsnetty.redis.RedisBridgeConfig;
import dev.wsnetty.redis.RedisTopicsBridge;

/**
 * The broadcast server (the original's {@code broadcastServer}): relays every message to everyone connected,
 * through one topic of the server (see {@link BroadcastHandler} for the texts and why a client that stops reading
 * holds nobody up), on any host and path ({@code /ws} is the one the chat page
 * uses), and serves the browser chat page on the same port. Console commands: {@code send <text>} broadcasts
 * {@code [Server] says: <text>}, {@code exit} stops the server.
 *
 * <p>Fixed against the original: {@code exit} stops at once (the original waited for one more connection);
 * {@code send hi} broadcasts {@code [Server] says: hi} with one space, like a client's message (the original
 * kept the space after {@code send}, giving two) and a bare {@code send} broadcasts {@code [Server] says: }
 * (the original repeated the command); other commands get a hint instead of silence. At the end of the console
 * input it keeps serving until stopped (Ctrl+C).
 *
 * <p>With {@code --redis URI} it joins every broadcast server bridged to that Redis ({@link RedisTopicsBridge}):
 * one chat across them, each client connected to any of them. Each server's own broadcasts keep one order for
 * everyone; broadcasts from different servers may interleave differently on each server.
 */
public final class BroadcastServer implements ConsoleExample {
    /** The text of a broadcast from the console: this prefix, then what followed {@code send }. */
    static final String SERVER_PREFIX = "[Server] says: ";

    private final Console console;
    private final ChatPageServer server;
    private final ExampleOptions options;
    /** The bridge to the other servers with {@code --redis}; null without it, or before {@link #run()}. */
    private volatile RedisTopicsBridge bridge;

    /**
     * A broadcast server listening where {@code options} say, talking through {@code console}.
     *
     * @param options host, port and TLS
     * @param console where commands come from and the transcript goes
     */
    public BroadcastServer(ExampleOptions options, Console console) {
        this.console = console;
        this.options = options;
        this.server = new ChatPageServer("Broadcast server", options, console);
    }

    /** Listens and obeys console commands until {@code exit} or {@link #stop()}. */
    @Override
    public int run() {
        BroadcastHandler handler = new BroadcastHandler(console, server.topics());
        if (options.redis() != null && !joinCluster(options.redis())) {
            return 1;
        }
        if (!server.listen("/ws", handler)) {
            stop();
            return 1;
        }
        console.println("Commands: send <text>, exit");
        ConsoleReader.start("broadcast-server-console", console, line -> obey(line, handler),
                () -> console.println("Console input ended; the server keeps running until stopped (Ctrl+C)"));
        server.awaitStopped();
        return 0;
    }

    /** Bridges the server's topics to the other servers on {@code redis}, before any client joins. */
    private boolean joinCluster(String redis) {
        RedisBridgeConfig config = RedisBridgeConfig.builder(redis).build();
        try {
            bridge = RedisTopicsBridge.start(server.topics(), config);
        } catch (RuntimeException e) {
            console.err().println("Broadcast server: cannot reach Redis at " + config.uri().getHost() + ':'
                    + config.uri().getPort() + ": " + e.getMessage());
            return false;
        }
        console.println("Joined the broadcast servers on Redis " + config.uri().getHost() + ':'
                + config.uri().getPort());
        return true;
    }

    /** Carries out one console command; false after {@code exit}. */
    private boolean obey(String line, BroadcastHandler handler) {
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        switch (command) {
            case "exit":
                stop();
                return false;
            case "send":
                handler.broadcast(SERVER_PREFIX + (space < 0 ? "" : line.substring(space + 1)));
                return true;
            case "":
                return true;
            default:
                console.println("Unknown command \"" + command + "\"; commands: send <text>, exit");
                return true;
        }
    }

    /** Closes every connection with 1001, stops listening and makes {@link #run()} return. */
    @Override
    public void stop() {
        server.stop();
        RedisTopicsBridge b = bridge;
        if (b != null) {
            b.close();
        }
    }

    /** Lets the server stop itself on the JVM's shutdown ({@code WebSocketServer.stopOnShutdown}), which removes its hook when stopped otherwise. */
    @Override
    public Runnable stopOnJvmShutdown() {
        server.stopOnShutdown();
        return () -> { };
    }

    /** The port listened on: the real one once listening. */
    public int port() {
        return server.port();
    }
}
