package dev.wsnetty.netty.interop;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.testing.JdkClientPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.wsnetty.netty.testing.Bytes.counting;
import static dev.wsnetty.testing.JdkClientPeer.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our server talked to by the JDK's {@link java.net.http.WebSocket} client, which checks the handshake
 * and every frame strictly: messages of every kind come back exactly, a message sent in parts reaches
 * the server as one, pings are answered, both closing handshakes carry the right codes and reasons, and
 * messages over the limit (4096 bytes here) get 1009. The JDK client cannot produce malformed frames or
 * invalid UTF-8 (it encodes text itself), so those cases are covered by {@link NettyClientInteropTest}
 * and the wire tests.
 */
class JdkClientInteropTest {
    private static final int LIMIT = 4096;
    private static HttpClient http;
    /** A server per test, so that {@link EchoEndpoint#firstConnection()} is the test's connection. */
    private final EchoEndpoint echo = new EchoEndpoint();
    private TestServer server;

    @BeforeAll
    static void createClient() {
        http = HttpClient.newHttpClient();
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(echo, WebSocketConfig.builder().maxSize(LIMIT).build());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void textIsEchoed() throws Exception {
        String text = "Hello, wörld — ☃ 𝄞";
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            await(peer.webSocket().sendText(text, true));
            assertEquals(text, peer.nextMessage().text());
        }
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), echo.firstConnection().messages().next().payload());
    }

    @Test
    void binaryIsEchoed() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            for (int length : new int[] {0, 1, 125, 126, 1000, LIMIT}) {
                await(peer.webSocket().sendBinary(ByteBuffer.wrap(counting(length)), true));
                assertArrayEquals(counting(length), peer.nextMessage().binary());
                assertArrayEquals(counting(length), echo.firstConnection().messages().next().payload());
            }
        }
    }

    /** A text message sent in three parts (three frames) reaches the echo handler as one message. */
    @Test
    void fragmentedTextArrivesAsOneMessage() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            WebSocket ws = peer.webSocket();
            await(ws.sendText("Hel", false));
            await(ws.sendText("lo, wö", false));
            await(ws.sendText("rld", true));
            assertEquals("Hello, wörld", peer.nextMessage().text());
        }
        assertEquals("Hello, wörld", echo.firstConnection().messages().next().text());
        echo.firstConnection().messages().assertExhausted();
    }

    @Test
    void fragmentedBinaryArrivesAsOneMessage() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            WebSocket ws = peer.webSocket();
            await(ws.sendBinary(ByteBuffer.wrap(counting(1000)), false));
            await(ws.sendBinary(ByteBuffer.wrap(counting(1000)), true));
            byte[] whole = new byte[2000];
            System.arraycopy(counting(1000), 0, whole, 0, 1000);
            System.arraycopy(counting(1000), 0, whole, 1000, 1000);
            assertArrayEquals(whole, peer.nextMessage().binary());
            assertArrayEquals(whole, echo.firstConnection().messages().next().payload());
        }
        echo.firstConnection().messages().assertExhausted();
    }

    @Test
    void pingIsAnsweredWithPongOfTheSamePayload() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            await(peer.webSocket().sendPing(ByteBuffer.wrap(counting(125))));
            assertArrayEquals(counting(125), peer.nextPong());
            await(peer.webSocket().sendPing(ByteBuffer.wrap("are you there?".getBytes(StandardCharsets.UTF_8))));
            assertArrayEquals("are you there?".getBytes(StandardCharsets.UTF_8), peer.nextPong());
        }
    }

    /** The client closes: our answer echoes its code, without reason. */
    @Test
    void clientInitiatedCloseIsEchoed() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            await(peer.webSocket().sendClose(4001, "client bye"));
            assertEquals(new JdkClientPeer.Close(4001, ""), peer.awaitClose());
        }
        assertEquals(new WebSocketCloseEvent(4001, "client bye", true, true),
                echo.firstConnection().closeEvents().next());
    }

    /** The server closes: the client sees our code and reason, and its automatic answer completes the handshake. */
    @Test
    void serverInitiatedCloseReachesTheClient() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            echo.firstConnection().channel().writeAndFlush(WebSocketFrame.close(4002, "server bye"));
            assertEquals(new JdkClientPeer.Close(4002, "server bye"), peer.awaitClose());
            // The JDK answers with our code and no reason; the server then closes TCP.
            assertEquals(new WebSocketCloseEvent(4002, "", false, true), echo.firstConnection().closeEvents().next());
        }
    }

    /** A message over the frame limit: 1009 with the reason. */
    @Test
    void messageOverTheLimitGets1009() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            await(peer.webSocket().sendBinary(ByteBuffer.wrap(counting(LIMIT + 1)), true));
            assertEquals(new JdkClientPeer.Close(1009, "frame of 4097 bytes exceeds the limit of 4096"),
                    peer.awaitClose());
        }
        assertEquals(new WebSocketCloseEvent(1009, "frame of 4097 bytes exceeds the limit of 4096", false, false),
                echo.firstConnection().closeEvents().next());
    }

    /** A message sent in parts that together exceed the message limit: 1009 at the part that crosses it. */
    @Test
    void fragmentedMessageOverTheLimitGets1009() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, server.uri("/echo"))) {
            await(peer.webSocket().sendText("x".repeat(3000), false));
            peer.webSocket().sendText("y".repeat(3000), true); // may fail: the server closes while it is sent
            assertEquals(new JdkClientPeer.Close(1009, "message of 6000 bytes or more exceeds the limit of 4096"),
                    peer.awaitClose());
        }
        assertEquals(1009, echo.firstConnection().closeEvents().next().code());
    }
}
