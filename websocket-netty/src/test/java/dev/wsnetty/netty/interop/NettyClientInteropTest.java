package dev.wsnetty.netty.interop;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.TestServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.wsnetty.netty.testing.Bytes.counting;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our server talked to by Netty's own WebSocket client ({@code websocketx}, the most used Java peer on
 * Netty): messages of every kind come back exactly, a fragmented message comes back as one frame, pings
 * are answered, both closing handshakes carry the right codes and reasons, and frames Netty lets us
 * produce that break the protocol or the limits (4096 bytes here) get the right close code. Netty's
 * client hands us Close frames and pongs as they arrive, so every frame the server sent is seen.
 */
class NettyClientInteropTest {
    private static final int LIMIT = 4096;
    private static EventLoopGroup group;
    /** A server per test, so that {@link EchoEndpoint#firstConnection()} is the test's connection. */
    private final EchoEndpoint echo = new EchoEndpoint();
    private TestServer server;

    @BeforeAll
    static void startClientEventLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopClientEventLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(echo, WebSocketConfig.builder().maxSize(LIMIT).build());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Asserts the next frame the client received: type, FIN and payload. */
    private static void expect(NettyClientPeer peer, Class<?> type, byte[] payload) throws InterruptedException {
        NettyClientPeer.Received frame = peer.next();
        assertEquals(type, frame.type());
        assertTrue(frame.fin(), "FIN set");
        assertArrayEquals(payload, frame.payload());
    }

    @Test
    void textIsEchoed() throws Exception {
        String text = "Hello, wörld — ☃ 𝄞";
        try (NettyClientPeer peer = NettyClientPeer.connect(group, server.uri("/echo"))) {
            peer.send(new TextWebSocketFrame(text));
            expect(peer, TextWebSocketFrame.class, utf8(text));
        }
        assertArrayEquals(utf8(text), echo.firstConnection().messages().next().payload());
    }

    /** Binary below and above the size from which our encoder writes the payload without copying it. */
    @Test
    void binaryIsEchoed() throws Exception {
        try (NettyClientPeer peer = NettyClientPeer.connect(group, server.uri("/echo"))) {
            for (int length : new int[] {0, 1, 125, 126, 1000, LIMIT}) {
                peer.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(counting(length))));
                expect(peer, BinaryWebSocketFrame.class, counting(length));
                assertArrayEquals(counting(length), echo.firstConnection().messages().next().payload());
            }
        }
    }

    /**
     * A text message sent as three frames reaches the echo handler as one message and comes back as one
     * frame; the pong that follows proves no other frame came in between.
     */
    @Test
    void fragmentedMessageIsEchoedAsOneFrame() throws Exception {
        try (NettyClientPeer peer = NettyClientPeer.connect(group, server.uri("/echo"))) {
            peer.send(new TextWebSocketFrame(false, 0, "Hel"));
            peer.send(new ContinuationWebSocketFrame(false, 0, "lo, wö"));
            peer.send(new ContinuationWebSocketFrame(true, 0, "rld"));
            expect(peer, TextWebSocketFrame.class, utf8("Hello, wörld"));
            peer.send(new PingWebSocketFrame(Unpooled.wrappedBuffer(utf8("after"))));
            expect(peer, PongWebSocketFrame.class, utf8("after"));
        }
        assertArrayEquals(utf8("Hello, wörld"), echo.firstConnection().messages().next().payload());
        echo.firstConnection().messages().assertExhausted();
    }

    /** Fragmented binary, with an empty middle fragment. */
    @Test
    void fragmentedBinaryIsEchoedAsOneFrame() throws Exception {
        byte[] a = counting(1000);
        byte[] b = counting(2000);
        byte[] whole = new byte[3000];
        System.arraycopy(a, 0, whole, 0, 1000);
        System.arraycopy(b, 0, whole, 1000, 2000);
        try (NettyClientPeer peer = NettyClientPeer.connect(group, server.uri("/echo"))) {
            peer.send(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(a)));
            peer.send(new ContinuationWebSocketFrame(false, 0, Unpooled.EMPTY_BUFFER));
            peer.send(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(b)));
            expect(peer, BinaryWebSocketFrame.class, whole);
        }
        assertArrayEquals(whole, echo.firstConnection().messages().next().payload());
    }

    @Test
    void pingIsAnsweredWithPongOfTheSamePayload() throws Exception {
        try (NettyClientPeer peer = NettyClientPeer.connect(group, server.uri("/echo"))) {
            peer.send(new PingWebSocketFrame(Unpooled.wrappedBuffer(counting(125))));
            expect(peer, PongWebSocketFrame.class, counting(125));
            peer.send(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
            expect(peer, PongWebSocketFrame.class, new byte[0]);
        }
    }

    /** The client closes: our answer echoes its code (without reason) and the server closes TCP. */
    @Test
    void clientInitiatedCloseIsEchoed() throws Exception {
        try (NettyClientPeer peer = NettyClientPeer.connect(group, server.uri("/echo"))) {
            peer.send(new CloseWebSocketFrame(4001, "client bye"));
            NettyClientPeer.Received close = peer.next();
            assertEquals(CloseWebSocketFrame.class, close.type());
            assertEquals(4001, close.closeCode());
            assertEquals("", close.closeReason());
            peer.assertClosedByServer();
        }
        assertEquals(new WebSocketCloseEvent(4001, "client bye", true, true),
                echo.firstConnection().closeEvents().next());
    }

    /** The server closes: the client sees our code and reason; its answer ends the connection. */
    @Test
    void serverInitiatedCloseReachesTheClient() throws Exception {
        try (NettyClientPeer peer = NettyClientPeer.connect(group, server.uri("/echo"))) {
            Channel connection = echo.firstConnection().channel();
            connection.writeAndFlush(WebSocketFrame.close(4002, "server bye"));
            NettyClientPeer.Received close = peer.next();
            assertEquals(CloseWebSocketFrame.class, close.type());
            assertEquals(4002, close.closeCode());
            assertEquals("server bye", close.closeReason());
            peer.send(new CloseWebSocketFrame(4002, ""));
            peer.assertClosedByServer();
        }
        assertEquals(new WebSocketCloseEvent(4002, "", false, true), echo.firstConnection().closeEvents().next());
    }

    static Stream<Arguments> invalidInput() {
        byte[] over = counting(LIMIT + 1);
        return Stream.<Arguments>of(
                Arguments.of("unmasked frame (raw bytes)", (Consumer<NettyClientPeer>) peer ->
                                peer.sendRaw(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0x02, 'h', 'i'})),
                        1002, "client frame is not masked"),
                Arguments.of("reserved opcode (raw bytes)", (Consumer<NettyClientPeer>) peer ->
                                peer.sendRaw(Unpooled.wrappedBuffer(new byte[] {(byte) 0x83, (byte) 0x80, 1, 2, 3, 4})),
                        1002, "reserved opcode 3"),
                Arguments.of("RSV1 without an extension", (Consumer<NettyClientPeer>) peer ->
                                peer.send(new TextWebSocketFrame(true, 4, "x")),
                        1002, "reserved bits set but no extension negotiated"),
                Arguments.of("continuation without a start", (Consumer<NettyClientPeer>) peer ->
                                peer.send(new ContinuationWebSocketFrame(true, 0, "orphan")),
                        1002, "continuation frame without a message to continue"),
                Arguments.of("text that is not UTF-8", (Consumer<NettyClientPeer>) peer ->
                                peer.send(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC3, 0x28}))),
                        1007, "text is not valid UTF-8"),
                Arguments.of("close reason that is not UTF-8", (Consumer<NettyClientPeer>) peer ->
                                peer.send(new CloseWebSocketFrame(true, 0,
                                        Unpooled.wrappedBuffer(new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}))),
                        1007, "close reason is not valid UTF-8"),
                Arguments.of("frame over the limit", (Consumer<NettyClientPeer>) peer ->
                                peer.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(over))),
                        1009, "frame of 4097 bytes exceeds the limit of 4096"),
                Arguments.of("message over the limit", (Consumer<NettyClientPeer>) peer -> {
                            peer.send(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(counting(3000))));
                            peer.send(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(counting(3000))));
                        },
                        1009, "message of 6000 bytes or more exceeds the limit of 4096"));
    }

    /**
     * Invalid input gets one Close with the right code and reason, then the server closes TCP without
     * waiting (the client, as configured, does not answer).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidInput")
    void invalidInputGetsTheRightCloseCode(String name, Consumer<NettyClientPeer> sendInvalid, int code,
                                           String reason) throws Exception {
        try (NettyClientPeer peer = NettyClientPeer.connect(group, server.uri("/echo"))) {
            sendInvalid.accept(peer);
            NettyClientPeer.Received close = peer.next();
            assertEquals(CloseWebSocketFrame.class, close.type());
            assertEquals(code, close.closeCode());
            assertEquals(reason, close.closeReason());
            peer.assertClosedByServer();
            peer.assertExhausted(); // one Close only
        }
        assertEquals(new WebSocketCloseEvent(code, reason, false, false), echo.firstConnection().closeEvents().next());
    }
}
