package dev.wsnetty.netty.tls;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.server.WebSocketServer;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link WebSocketServer} on loopback behind TLS whose handlers echo every text and binary message, prefixed
 * with the handler's name: messages up to {@value #FRAGMENT_ABOVE} bytes come back as one frame, longer ones in
 * frames of {@value #FRAGMENT} bytes. Each upgraded connection's server-side {@link SslHandler} is recorded.
 */
final class EchoTlsServer implements AutoCloseable {
    static final int FRAGMENT_ABOVE = 100;
    static final int FRAGMENT = 50;

    final WebSocketServer server;
    /** The server side's SslHandler of each upgraded connection, in order. */
    final BlockingQueue<SslHandler> sessions = new LinkedBlockingQueue<>();

    EchoTlsServer(String host, TlsServerConfig tls, WebSocketConfig config) {
        server = new WebSocketServer(host, 0, tls);
        server.setConfig(config);
        server.registerHandler("*", "*", echo(""), true, true);
        server.bind();
    }

    EchoTlsServer(TlsServerConfig tls) {
        this("localhost", tls, WebSocketConfig.DEFAULT);
    }

    int port() {
        return server.port();
    }

    /** A handler echoing with {@code prefix} in front of text messages. */
    WebSocketHandler echo(String prefix) {
        return new WebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator communicator) {
                Channel channel = communicator.unwrap(Channel.class);
                sessions.add((SslHandler) channel.pipeline().get(WebSocketPipeline.TLS));
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

    private static void write(Communicator communicator, MessageType type, byte[] data) {
        if (data.length <= FRAGMENT_ABOVE) {
            communicator.writeRawMessage(data, 0, data.length, type);
            return;
        }
        try (MessageOutputStream out = communicator.writeMessage(type, FRAGMENT)) {
            out.write(data);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
