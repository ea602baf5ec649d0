package dev.wsnetty.examples;


/**
 * The chat server (the original's {@code chatServer}): accepts WebSocket clients on any host and path, prints
 * what they send, and sends every line typed on the console to all of them. It serves the browser chat page on
 * the same port.
 *
 * <p>Fixed against the original: it serves any number of clients, one after the other or at once (the original
 * shut the whole server down when its first client left, and handed each typed line to one arbitrary client);
 * nothing is written to a connection that is closing. At the end of the console input it keeps serving until
 * stopped (Ctrl+C).
 */
public final class ChatServer implements ConsoleExample {
    private final Console console;
    private final ChatPageServer server;

    /**
     * A chat server listening where {@code options} say, talking through {@code console}.
     *
     * @param options host, port and TLS
     * @param console where typed lines come from and the transcript goes
     */
    public ChatServer(ExampleOptions options, Console console) {
        this.console = console;
        this.server = new ChatPageServer("Chat server", options, console);
    }

    /** Listens, then sends each typed line to every client, until {@link #stop()}. */
    @Override
    public int run() {
        ChatHandler handler = new ChatHandler(console);
        if (!server.listen("/", handler)) {
            return 1;
        }
        console.println("Every line you type is sent to every client. Ctrl+C stops the server.");
        ConsoleReader.start("chat-server-console", console, ConsoleReader.each(line -> {
            if (handler.sendToAll(line) == 0) {
                console.println("No client is connected; nothing sent");
            }
        }), () -> console.println("Console input ended; the server keeps running until stopped (Ctrl+C)"));
        server.awaitStopped();
        return 0;
    }

    /** Closes every connection with 1001, stops listening and makes {@link #run()} return. */
    @Override
    public void stop() {
        server.stop();
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
