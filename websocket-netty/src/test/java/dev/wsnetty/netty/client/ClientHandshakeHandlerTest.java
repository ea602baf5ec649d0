package dev.wsnetty.netty.client;

import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handler logic that needs no real socket: the request for scheme-default ports (which a test cannot
 * bind), a custom Host, and a failing upgrade callback.
 */
class ClientHandshakeHandlerTest {

    @Test
    void hostHeaderOmitsPort80ForWs() {
        String head = requestHead(ClientHandshakeRequest.builder("example.com").build());
        assertTrue(head.startsWith("GET / HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"), head);
    }

    @Test
    void hostHeaderOmitsPort443ForWss() {
        String head = requestHead(ClientHandshakeRequest.builder("example.com").tls(true).build());
        assertTrue(head.contains("\r\nHost: example.com\r\n"), head);
    }

    @Test
    void hostHeaderKeepsOtherPorts() {
        assertTrue(requestHead(ClientHandshakeRequest.builder("example.com").port(443).build())
                .contains("\r\nHost: example.com:443\r\n"));
        assertTrue(requestHead(ClientHandshakeRequest.builder("::1").tls(true).port(8443).build())
                .contains("\r\nHost: [::1]:8443\r\n"));
    }

    @Test
    void customHostReplacesTheGeneratedOne() {
        String head = requestHead(ClientHandshakeRequest.builder("10.0.0.1").port(8080)
                .header("Host", "chat.example.com").build());
        assertTrue(head.startsWith("GET / HTTP/1.1\r\nUpgrade: websocket\r\n"), head);
        assertTrue(head.endsWith("\r\nHost: chat.example.com\r\n\r\n"), head);
        assertEquals(1, head.split("Host:", -1).length - 1, head);
    }

    @Test
    void failingUpgradeCallbackFailsTheHandshake() {
        CompletableFuture<ClientHandshakeResult> result = new CompletableFuture<>();
        ClientHandshakeRequest request = ClientHandshakeRequest.builder("example.com").build();
        ClientHandshakeHandler handler = new ClientHandshakeHandler(request, result, p -> {
            throw new IllegalStateException("no room for the application");
        });
        EmbeddedChannel channel = handshakeChannel(request, handler);
        releaseAll(channel);
        channel.writeInbound(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.of(handler.key()) + "\r\n\r\n"));
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        WebSocketHandshakeException cause = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertTrue(cause.getMessage().contains("no room for the application"), cause.getMessage());
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    private static String requestHead(ClientHandshakeRequest request) {
        EmbeddedChannel channel = handshakeChannel(request,
                new ClientHandshakeHandler(request, new CompletableFuture<>(), p -> { }));
        StringBuilder head = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            head.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        channel.finishAndReleaseAll();
        return head.toString();
    }

    /** A channel with the client's handshake pipeline; the handler sends its request at once. */
    private static EmbeddedChannel handshakeChannel(ClientHandshakeRequest request, ClientHandshakeHandler handler) {
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketPipeline.addClientHandshake(channel.pipeline(), request.config(), handler);
        return channel;
    }

    private static void releaseAll(EmbeddedChannel channel) {
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            out.release();
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
