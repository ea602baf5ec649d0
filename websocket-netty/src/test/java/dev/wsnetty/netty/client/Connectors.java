package dev.wsnetty.netty.client;

import dev.wsnetty.netty.internal.IoType;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClientConnector}s for the client handshake tests, on one event loop of daemon threads that lives as long
 * as the test JVM, and the outcomes of their connections.
 */
final class Connectors {
    private static final EventLoopGroup GROUP = IoType.NIO.newGroup(1, "test-connector");

    private Connectors() {
    }

    /** A connector with the default TLS context and connect timeout. */
    static ClientConnector plain() {
        return new ClientConnector(GROUP, IoType.NIO.socketChannelType());
    }

    /** A connector with this TLS context (null for the default) and connect timeout. */
    static ClientConnector with(SslContext tls, Duration connectTimeout) {
        return new ClientConnector(GROUP, IoType.NIO.socketChannelType(), tls, connectTimeout);
    }

    /** Waits for the handshake to fail and returns its cause, which must be a {@code type}. */
    static <T extends Throwable> T handshakeError(ClientConnection connection, Class<T> type) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connection.handshake().get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(type, e.getCause());
    }

    /** Waits until the connection's channel is closed. */
    static void assertClosed(Channel channel) {
        assertTrue(channel.closeFuture().awaitUninterruptibly(Await.DEADLINE.toMillis()), "channel not closed");
    }

    /** The request head {@code request} makes, read off an {@link EmbeddedChannel} with no server at all. */
    static String requestHead(ClientHandshakeRequest request) {
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketPipeline.addClientHandshake(channel.pipeline(), request.config(),
                new ClientHandshakeHandler(request, new CompletableFuture<>(), p -> { }));
        StringBuilder head = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            head.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        channel.finishAndReleaseAll();
        return head.toString();
    }
}
