package dev.wsnetty.netty.server;

import dev.wsnetty.netty.testing.HandlerKind;

import java.time.Duration;

/**
 * A server for {@link ShutdownTest} in a JVM of its own: started with {@code start()} and
 * {@code stopOnShutdown(5 s)}, its handler waits for each connection to close. Prints "PORT n" once listening.
 * With the argument {@code no-hook} it does not call {@code stopOnShutdown} (what servers did before it existed).
 */
public final class ShutdownChildServer {
    private ShutdownChildServer() {
    }

    /** Runs the server until the JVM is told to end. */
    public static void main(String[] args) {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.registerHandler("*", "*", HandlerKind.THREADED.create(c -> c.awaitClose()), true, true);
        if (args.length == 0 || !args[0].equals("no-hook")) {
            server.stopOnShutdown(Duration.ofSeconds(5));
        }
        server.bind();
        System.out.println("PORT " + server.port());
        System.out.flush();
        server.start();
    }
}
