package dev.wsnetty.netty.testing;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.tls.TlsServerConfig;
import dev.wsnetty.testing.EventRecorder;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link WebSocketServer}, the class under test, running on a free port with one handler for every host and path
 * that hands each connection to the test ({@link #nextConnection()}) and then runs a body: by default it waits for
 * the connection to close, so that the test drives the server side through the {@link Communicator};
 * {@link Builder#echo()} makes it echo instead. For tests of our pipeline parts rather than of
 * {@code WebSocketServer}, see {@link TestServer}.
 */
public final class WebSocketServerFixture implements AutoCloseable {
    /** Messages up to this many bytes are echoed as one frame. */
    public static final int FRAGMENT_ABOVE = 100;
    /** Longer messages are echoed in frames of this many bytes. */
    public static final int FRAGMENT = 50;

    /**
     * One connection as its handler received it.
     *
     * @param communicator  the connection's communicator
     * @param handlerThread the thread running the handler's {@code doHandleCommunication}
     * @param tls           the connection's {@link SslHandler}, taken while it was open; null without TLS
     */
    public record Connection(Communicator communicator, Thread handlerThread, SslHandler tls) {
    }

    private final WebSocketServer server;
    private final WebSocketHandler handler;
    private final EventRecorder<Connection> connections = new EventRecorder<>("connection");

    private WebSocketServerFixture(Builder b) {
        server = b.tls == null ? new WebSocketServer(b.host, 0) : new WebSocketServer(b.host, 0, b.tls);
        handler = b.echo ? echo("") : b.kind.create(c -> {
            record(c);
            c.awaitClose();
        });
        server.registerHandler("*", "*", handler, true, true);
        b.configure.accept(server);
        server.bind();
    }

    /** The options; by default a plain server on 127.0.0.1 whose handler is a plain one that waits for the close. */
    public static Builder builder() {
        return new Builder();
    }

    /** An echoing wss server on localhost: {@code builder().host("localhost").tls(tls).echo().start()}. */
    public static WebSocketServerFixture tlsEcho(TlsServerConfig tls) {
        return builder().host("localhost").tls(tls).echo().start();
    }

    /** The server, e.g. to register more handlers or to read its connection count. */
    public WebSocketServer server() {
        return server;
    }

    /** The handler registered for every host and path. */
    public WebSocketHandler handler() {
        return handler;
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** The next connection a handler of this fixture received, waiting for it. */
    public Connection nextConnection() {
        return connections.next();
    }

    /** The communicator of the next connection, waiting for it. */
    public Communicator next() {
        return nextConnection().communicator();
    }

    /**
     * A plain handler that records its connections for {@link #nextConnection()} and echoes every text message with
     * {@code prefix} in front and every binary message as it came: up to {@value #FRAGMENT_ABOVE} bytes as one frame,
     * longer ones in frames of {@value #FRAGMENT} bytes. For routes of a test's own.
     */
    public WebSocketHandler echo(String prefix) {
        return new WebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator communicator) {
                record(communicator);
                WebSocketMessage message;
                while ((message = communicator.waitForMessage()) != null) {
                    if (message instanceof StringMessage) {
                        write(communicator, MessageType.STRING,
                                (prefix + ((StringMessage) message).data()).getBytes(StandardCharsets.UTF_8));
                    } else if (message instanceof BinaryMessage) {
                        write(communicator, MessageType.BINARY, ((BinaryMessage) message).data());
                    }
                }
            }
        };
    }

    private void record(Communicator communicator) {
        Channel channel = communicator.unwrap(Channel.class);
        connections.record(new Connection(communicator, Thread.currentThread(),
                (SslHandler) channel.pipeline().get(WebSocketPipeline.TLS)));
    }

    private static void write(Communicator communicator, MessageType type, byte[] data) {
        if (data.length <= FRAGMENT_ABOVE) {
            communicator.writeRawMessage(data, 0, data.length, type);
            return;
        }
        try (MessageOutputStream out = communicator.writeMessage(type, FRAGMENT)) {
            out.write(data);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop();
    }

    /** The fixture's options. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private TlsServerConfig tls;
        private HandlerKind kind = HandlerKind.PLAIN;
        private boolean echo;
        private Consumer<WebSocketServer> configure = server -> { };

        private Builder() {
        }

        /** The address to bind to; 127.0.0.1 by default. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Serves wss with this TLS configuration; plain ws by default. */
        public Builder tls(TlsServerConfig tls) {
            this.tls = tls;
            return this;
        }

        /** The kind of handler that waits for the close; {@link HandlerKind#PLAIN} by default. */
        public Builder kind(HandlerKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** Makes the handler echo, as {@link #echo(String)} with no prefix, instead of waiting for the close. */
        public Builder echo() {
            this.echo = true;
            return this;
        }

        /** Lets {@code configure} set the server up (config, accepting method...) before it binds. */
        public Builder configure(Consumer<WebSocketServer> configure) {
            this.configure = Objects.requireNonNull(configure, "configure");
            return this;
        }

        /** Binds the server and returns the running fixture. */
        public WebSocketServerFixture start() {
            return new WebSocketServerFixture(this);
        }
    }
}
