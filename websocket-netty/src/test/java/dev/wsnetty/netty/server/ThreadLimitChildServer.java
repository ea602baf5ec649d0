package dev.wsnetty.netty.server;

import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.testing.HandlerKind;

import java.time.Duration;

/**
 * A server for {@link ThreadStarvationTest} in a JVM that can create only a few dozen threads (its address space
 * is limited, its stacks are large): no bound of its own on handler threads, so the JVM's "unable to create native
 * thread" is what stops it. Echoes text on platform threads; started with {@code start()} and
 * {@code stopOnShutdown}. Prints "PORT n" once listening.
 */
public final class ThreadLimitChildServer {
    private ThreadLimitChildServer() {
    }

    /** Runs the server until the JVM is told to end. */
    public static void main(String[] args) {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setEventLoopThreads(1);
        server.setServerConfig(ServerConfig.builder().maxPlatformHandlerThreads(0).build());
        server.registerHandler("*", "*", HandlerKind.THREADED.create(c -> {
            StringMessage message;
            while ((message = c.waitForStringMessage()) != null) {
                c.writeStringMessage(message.data());
            }
        }), true, true);
        server.stopOnShutdown(Duration.ofSeconds(2));
        server.bind();
        System.out.println("PORT " + server.port());
        System.out.flush();
        server.start();
    }
}
