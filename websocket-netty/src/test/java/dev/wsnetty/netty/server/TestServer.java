package dev.wsnetty.netty.server;

import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.netty.adapter.RawWebSocketClient;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A {@link WebSocketServer} on 127.0.0.1 and a free port whose one handler (registered for every host and path)
 * hands each connection's communicator to the test and keeps the connection open until it closes.
 */
final class TestServer implements AutoCloseable {
    final WebSocketServer server;
    final WebSocketHandler handler;
    private final BlockingQueue<Communicator> communicators = new LinkedBlockingQueue<>();
    private final BlockingQueue<Thread> handlerThreads = new LinkedBlockingQueue<>();

    private TestServer(HandlerKind kind, Consumer<WebSocketServer> configure) {
        server = new WebSocketServer("127.0.0.1", 0);
        handler = kind.create(c -> {
            handlerThreads.add(Thread.currentThread());
            communicators.add(c);
            c.awaitClose();
        });
        server.registerHandler("*", "*", handler, true, true);
        configure.accept(server);
        server.bind();
    }

    /** A running server with this accepting method and handler kind. */
    static TestServer start(AcceptingMethod method, HandlerKind kind) {
        return new TestServer(kind, s -> s.setAcceptingMethod(method));
    }

    /** A running server configured by {@code configure} before it binds. */
    static TestServer start(HandlerKind kind, Consumer<WebSocketServer> configure) {
        return new TestServer(kind, configure);
    }

    int port() {
        return server.port();
    }

    /** Connects a raw client to "/". */
    RawWebSocketClient connect() throws IOException {
        return RawWebSocketClient.connect(port());
    }

    /** The communicator of the next connection, as the handler received it. */
    Communicator next() throws InterruptedException {
        Communicator c = communicators.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "the handler got no connection");
        return c;
    }

    /** The thread that ran the handler's doHandleCommunication for the next connection. */
    Thread nextHandlerThread() throws InterruptedException {
        Thread t = handlerThreads.poll(10, TimeUnit.SECONDS);
        assertNotNull(t, "the handler ran on no thread");
        return t;
    }

    @Override
    public void close() {
        server.stop();
    }
}
