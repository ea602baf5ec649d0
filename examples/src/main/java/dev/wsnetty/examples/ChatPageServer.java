package dev.wsnetty.examples;

import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.topics.ChannelTopics;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What the chat and broadcast servers share: a {@link WebSocketServer} that takes WebSockets on any host at the
 * paths the original's clients use ({@link #WEBSOCKET_PATHS}; any other path gets 404, for a GET and for an
 * upgrade alike) and serves the browser chat page ({@link ChatPageHandler}) and the server's live figures
 * ({@code /stats}, JSON) on the same port, its start-up banner, and stopping.
 */
final class ChatPageServer {
    /**
     * The WebSocket paths: {@code /} is where the original's console client connects, {@code /ws} where its chat
     * page does. The original's examples took any path (a default-path handler); only these two are used.
     */
    static final List<String> WEBSOCKET_PATHS = List.of("/", "/ws");

    /** How long clients get to answer the Close 1001 when the JVM is told to end. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final String name;
    private final ExampleOptions options;
    private final Console console;
    private final WebSocketServer server;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param name    how the banner and errors name the server, e.g. "Chat server"
     * @param options host, port and TLS
     * @param console where the banner and errors go
     * @throws UncheckedIOException if the TLS certificate or key cannot be loaded
     */
    ChatPageServer(String name, ExampleOptions options, Console console) {
        this.name = name;
        this.options = options;
        this.console = console;
        this.server = new WebSocketServer(options.host(), options.port(), ExampleTls.serverContext(options, console));
    }

    /**
     * Registers {@code handler} for every host at each of {@link #WEBSOCKET_PATHS} ({@code path}, one of them, is
     * the one the banner shows), listens and prints the banner.
     *
     * @return false if the server could not listen (the error was printed)
     */
    boolean listen(String path, WebSocketHandler handler) {
        for (String webSocketPath : WEBSOCKET_PATHS) {
            server.registerHandler("*", webSocketPath, handler, true, false);
        }
        server.setHttpHandler(() -> new ChatPageHandler(() -> StatsJson.of(server.statistics().snapshot())));
        try {
            server.bind();
        } catch (UncheckedIOException e) {
            console.err().println(name + ": " + e.getMessage());
            return false;
        }
        String reachable = Addresses.reachableHost(options.host()) + ':' + server.port();
        console.println(name + " listening on " + options.host() + ':' + server.port());
        console.println("Chat page: " + ExampleTls.pageScheme(options) + "://" + reachable + "/ (WebSocket endpoint "
                + ExampleTls.socketScheme(options) + "://" + reachable + path + ")");
        console.println("Live figures: " + ExampleTls.pageScheme(options) + "://" + reachable + "/stats");
        return true;
    }

    /** Blocks until {@link #stop()}; an interrupt stops the server. */
    void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    /** Closes every connection with 1001, stops listening and ends {@link #awaitStopped()}. */
    void stop() {
        server.stop();
        stopped.countDown();
    }

    /** Makes the JVM's shutdown (Ctrl+C, SIGTERM) stop the server first, with a grace of 2 s for the closes. */
    void stopOnShutdown() {
        server.stopOnShutdown(SHUTDOWN_GRACE);
    }

    /** The server's topics, to subscribe its connections to and publish on (and to bridge to other servers). */
    ChannelTopics topics() {
        return server.topics();
    }

    /** The port listened on: the real one once listening. */
    int port() {
        return server.port();
    }
}
