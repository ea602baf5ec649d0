package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.interop.EchoServer;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static dev.wsnetty.netty.wire.WireFrames.CLOSE;
import static dev.wsnetty.netty.wire.WireFrames.PONG;
import static dev.wsnetty.netty.wire.WireFrames.client;
import static dev.wsnetty.netty.wire.WireFrames.closePayload;
import static dev.wsnetty.netty.wire.WireFrames.serverClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The liveness timeouts of our server, over a real socket, with short configured durations: the idle
 * timeout closes with 1001, keep-alive pings go out when the client is silent and a missing pong closes
 * with 1011. Waits are bounded by {@link WireClient#WAIT_MILLIS}; where a test asserts that something did
 * not happen too early, the bound is exact (a timer never fires before its delay).
 */
class ServerTimeoutsTest {
    private EchoServer server;

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Nothing received for {@code idleTimeout}: Close 1001 "idle timeout"; the client's answer ends it. */
    @Test
    void idleTimeoutClosesWith1001() throws Exception {
        Duration idle = Duration.ofMillis(300);
        server = EchoServer.start(WebSocketConfig.builder().idleTimeout(idle).build());
        long start = System.nanoTime();
        try (WireClient client = WireClient.upgrade(server.port(), EchoServer.PATH)) {
            client.expect(serverClose(1001, "idle timeout"));
            assertTrue(System.nanoTime() - start >= idle.toNanos(), "closed before the idle timeout");
            client.send(client(CLOSE, closePayload(1001, "")));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1001, "", false, true), server.nextCloseEvent());
    }

    /**
     * A silent client gets a keep-alive ping (8-byte payload) after {@code pingInterval}; when no pong
     * (nor anything else) comes within {@code pongTimeout}, the server fails the connection with 1011 and
     * closes TCP at once.
     */
    @Test
    void unansweredKeepAlivePingClosesWith1011() throws Exception {
        server = EchoServer.start(WebSocketConfig.builder()
                .pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300)).build());
        try (WireClient client = WireClient.upgrade(server.port(), EchoServer.PATH)) {
            byte[] ping = client.readFrame();
            assertEquals("89 08", WireClient.hex(Arrays.copyOf(ping, 2)), "a ping with an 8-byte payload");
            client.expect(serverClose(1011, "keepalive ping timeout"));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1011, "keepalive ping timeout", false, false), server.nextCloseEvent());
    }

    /** A pong to the keep-alive ping keeps the connection open: the next thing sent is the next ping. */
    @Test
    void answeredKeepAlivePingKeepsTheConnection() throws Exception {
        server = EchoServer.start(WebSocketConfig.builder()
                .pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300)).build());
        try (WireClient client = WireClient.upgrade(server.port(), EchoServer.PATH)) {
            byte[] first = client.readFrame();
            assertEquals("89 08", WireClient.hex(Arrays.copyOf(first, 2)));
            client.send(client(PONG, Arrays.copyOfRange(first, 2, 10)));
            byte[] second = client.readFrame();
            assertEquals("89 08", WireClient.hex(Arrays.copyOf(second, 2)), "the next ping, not a Close");
            assertNotEquals(WireClient.hex(first), WireClient.hex(second), "each ping has its own payload");
            client.send(client(CLOSE, closePayload(1000, "")));
            client.expect(serverClose(1000, ""));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1000, "", true, true), server.nextCloseEvent());
    }
}
