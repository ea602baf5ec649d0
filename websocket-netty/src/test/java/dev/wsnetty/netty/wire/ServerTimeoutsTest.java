package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static dev.wsnetty.netty.testing.Frames.CLOSE;
import static dev.wsnetty.netty.testing.Frames.PONG;
import static dev.wsnetty.netty.testing.Frames.client;
import static dev.wsnetty.netty.testing.Frames.closePayload;
import static dev.wsnetty.netty.testing.Frames.serverClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The liveness timeouts of our server, over a real socket, with short configured durations: the idle
 * timeout closes with 1001, keep-alive pings go out when the client is silent and a missing pong closes
 * with 1011. Waits are bounded by {@link dev.wsnetty.testing.Await#DEADLINE}; where a test asserts that something did
 * not happen too early, the bound is exact (a timer never fires before its delay).
 */
class ServerTimeoutsTest {
    private final EchoEndpoint echo = new EchoEndpoint();
    private TestServer server;

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Nothing received for {@code idleTimeout}: Close 1001 "idle timeout"; the client's answer ends it. */
    @Test
    void idleTimeoutClosesWith1001() throws Exception {
        Duration idle = Duration.ofMillis(300);
        server = TestServer.start(echo, WebSocketConfig.builder().idleTimeout(idle).build());
        long start = System.nanoTime();
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.expect(serverClose(1001, "idle timeout"));
            assertTrue(System.nanoTime() - start >= idle.toNanos(), "closed before the idle timeout");
            client.send(client(CLOSE, closePayload(1001, "")));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1001, "", false, true), echo.firstConnection().closeEvents().next());
    }

    /**
     * A silent client gets a keep-alive ping (8-byte payload) after {@code pingInterval}; when no pong
     * (nor anything else) comes within {@code pongTimeout}, the server fails the connection with 1011 and
     * closes TCP at once.
     */
    @Test
    void unansweredKeepAlivePingClosesWith1011() throws Exception {
        server = TestServer.start(echo, WebSocketConfig.builder()
                .pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300)).build());
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            byte[] ping = client.readFrameBytes();
            assertEquals("89 08", Bytes.hex(Arrays.copyOf(ping, 2)), "a ping with an 8-byte payload");
            client.expect(serverClose(1011, "keepalive ping timeout"));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1011, "keepalive ping timeout", false, false),
                echo.firstConnection().closeEvents().next());
    }

    /** A pong to the keep-alive ping keeps the connection open: the next thing sent is the next ping. */
    @Test
    void answeredKeepAlivePingKeepsTheConnection() throws Exception {
        server = TestServer.start(echo, WebSocketConfig.builder()
                .pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(300)).build());
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            byte[] first = client.readFrameBytes();
            assertEquals("89 08", Bytes.hex(Arrays.copyOf(first, 2)));
            client.send(client(PONG, Arrays.copyOfRange(first, 2, 10)));
            byte[] second = client.readFrameBytes();
            assertEquals("89 08", Bytes.hex(Arrays.copyOf(second, 2)), "the next ping, not a Close");
            assertNotEquals(Bytes.hex(first), Bytes.hex(second), "each ping has its own payload");
            client.send(client(CLOSE, closePayload(1000, "")));
            client.expect(serverClose(1000, ""));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1000, "", true, true), echo.firstConnection().closeEvents().next());
    }
}
