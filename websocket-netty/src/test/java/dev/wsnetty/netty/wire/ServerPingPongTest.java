package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.counting;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.BINARY_FIRST;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION_LAST;
import static dev.wsnetty.netty.testing.Frames.PING;
import static dev.wsnetty.netty.testing.Frames.PONG;
import static dev.wsnetty.netty.testing.Frames.TEXT;
import static dev.wsnetty.netty.testing.Frames.TEXT_FIRST;
import static dev.wsnetty.netty.testing.Frames.client;
import static dev.wsnetty.netty.testing.Frames.server;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ping and pong on our server (RFC 6455 §5.5.2, §5.5.3), over a real socket: every ping is answered
 * with a pong carrying the same payload, also between the fragments of a message, where the pong must
 * come at once (before the message is finished); unsolicited pongs are ignored.
 */
class ServerPingPongTest {
    /** A server per test: each test sees only its own messages and close events. */
    private final EchoEndpoint echo = new EchoEndpoint();
    private TestServer server;

    @BeforeEach
    void startServer() {
        server = TestServer.start(echo, WebSocketConfig.DEFAULT);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Empty, short and the largest (125-byte) ping payloads come back byte for byte. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 5, 125})
    void pingIsAnsweredWithPongOfTheSamePayload(int length) throws Exception {
        byte[] payload = counting(length);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(PING, payload));
            client.expect(server(PONG, payload));
        }
    }

    /** Several pings in one read get one pong each, in order. */
    @Test
    void everyPingOfABatchIsAnswered() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(PING, utf8("1")), client(PING, utf8("2")), client(PING, utf8("3")));
            client.expect(server(PONG, utf8("1")));
            client.expect(server(PONG, utf8("2")));
            client.expect(server(PONG, utf8("3")));
        }
    }

    /**
     * Control frames between fragments (§5.4) are handled at once: each pong arrives while the message is
     * still open (the next fragment is sent only after it), and the message is then echoed whole.
     */
    @Test
    void pingBetweenFragmentsIsAnsweredImmediately() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(TEXT_FIRST, utf8("Hel")), client(PING, utf8("p1")));
            client.expect(server(PONG, utf8("p1")));
            client.send(client(CONTINUATION, utf8("lo, ")), client(PING, utf8("p2")));
            client.expect(server(PONG, utf8("p2")));
            client.send(client(CONTINUATION_LAST, utf8("world")));
            client.expect(server(TEXT, utf8("Hello, world")));
        }
        assertEquals("Hello, world", echo.firstConnection().messages().next().text());
    }

    /** A pong between fragments is ignored and does not disturb the message. */
    @Test
    void pongBetweenFragmentsIsIgnored() throws Exception {
        byte[] a = counting(100);
        byte[] b = counting(200);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(BINARY_FIRST, a), client(PONG, utf8("unsolicited")), client(CONTINUATION_LAST, b));
            client.expect(server(BINARY, concat(a, b)));
        }
        assertArrayEquals(concat(a, b), echo.firstConnection().messages().next().payload());
    }

    /** An unsolicited pong gets no answer: the next frame the client sees is the echo of what follows it. */
    @Test
    void unsolicitedPongIsNotAnswered() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(PONG, utf8("heartbeat")), client(TEXT, utf8("after")));
            client.expect(server(TEXT, utf8("after")));
        }
        assertEquals("after", echo.firstConnection().messages().next().text());
    }
}
