package dev.wsnetty.bench.server;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageType;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.server.ServerConfig;
import dev.wsnetty.netty.server.WebSocketServer;

import java.io.IOException;
import java.util.EnumSet;

/**
 * Ours through the blocking API, as most users will write it: a {@link ThreadedWebSocketHandler} whose
 * {@code doHandleCommunication} loops {@code waitForMessage} and writes each message back. One event loop
 * thread, like the other echo servers; the handler threads are virtual on Java 21+.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.server.WsnettyBlockingEchoServer 8080</pre>
 */
public final class WsnettyBlockingEchoServer {
    private static final EnumSet<MessageType> DATA = EnumSet.of(MessageType.STRING, MessageType.BINARY);
    /** The system property that switches {@link ServerConfig#handlerThreadsOnEventLoop()} on. */
    static final String HANDLERS_ON_EVENT_LOOP = "wsnetty.bench.handlersOnEventLoop";

    private WsnettyBlockingEchoServer() {
    }

    /** Serves on {@code args[0]} (default 8080) until killed; {@code args[1]} is the control port. */
    public static void main(String[] args) throws IOException, InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int controlPort = args.length > 1 ? Integer.parseInt(args[1]) : port + 1;
        try (ServerControl control = ServerControl.start(controlPort)) {
            WebSocketServer server = start(port);
            System.out.println("WsnettyBlockingEchoServer listening on 127.0.0.1:" + server.port()
                    + ", control port " + control.port());
            server.start();
        }
    }

    /** Starts the server on loopback ({@code port} 0 for any free one) and returns it listening. */
    public static WebSocketServer start(int port) {
        WebSocketServer server = new WebSocketServer("127.0.0.1", port);
        server.setEventLoopThreads(1);
        server.setConfig(WebSocketConfig.DEFAULT);
        // On Java 17 the scale benchmark holds a platform thread per connection past the default bound on purpose;
        // run-scale.sh checks the system's thread limits itself.
        // -Dwsnetty.bench.handlersOnEventLoop=true measures ServerConfig.handlerThreadsOnEventLoop (off by default;
        // needs --add-opens java.base/java.lang=ALL-UNNAMED and Java 21+).
        server.setServerConfig(ServerConfig.builder().maxPlatformHandlerThreads(0)
                .handlerThreadsOnEventLoop(Boolean.getBoolean(HANDLERS_ON_EVENT_LOOP)).build());
        server.registerHandler("*", "*", new EchoHandler(), true, true);
        server.bind();
        return server;
    }

    private static final class EchoHandler extends ThreadedWebSocketHandler {
        @Override
        protected void doHandleCommunication(Communicator communicator) {
            WebSocketMessage message;
            while ((message = communicator.waitForMessage(DATA)) != null) {
                if (message instanceof StringMessage) {
                    communicator.writeStringMessage(((StringMessage) message).data());
                } else {
                    communicator.writeBinaryMessage(((BinaryMessage) message).data());
                }
            }
        }
    }
}
