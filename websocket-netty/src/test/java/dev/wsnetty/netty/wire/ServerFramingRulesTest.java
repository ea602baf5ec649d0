package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.BINARY_FIRST;
import static dev.wsnetty.netty.testing.Frames.CLOSE;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION_LAST;
import static dev.wsnetty.netty.testing.Frames.PING;
import static dev.wsnetty.netty.testing.Frames.PONG;
import static dev.wsnetty.netty.testing.Frames.TEXT;
import static dev.wsnetty.netty.testing.Frames.TEXT_FIRST;
import static dev.wsnetty.netty.testing.Frames.client;
import static dev.wsnetty.netty.testing.Frames.serverClose;
import static dev.wsnetty.netty.testing.Frames.unmaskedClient;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The framing rules of RFC 6455 §5.1–§5.4 on our server, over a real socket: each violation, sent as raw
 * bytes after a valid handshake, is answered with exactly one Close 1002 carrying the reason, then the
 * server closes TCP (the stream ends, it is not reset). Bytes sent after the violation are never looked
 * at, and the connection's close event reports the Close the server sent.
 */
class ServerFramingRulesTest {
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

    /** Sends {@code bytes} in one write and expects Close 1002 with {@code reason}, then the end of the stream. */
    private void expectProtocolError(String reason, byte[]... bytes) throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(bytes);
            client.expect(serverClose(1002, reason));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1002, reason, false, false), echo.firstConnection().closeEvents().next());
    }

    /** §5.1: a client must mask every frame; an unmasked one fails the connection. */
    @Test
    void unmaskedClientFrame() throws Exception {
        expectProtocolError("client frame is not masked", unmaskedClient(TEXT, utf8("hi")));
    }

    /** §5.1: also an unmasked control frame, and also after valid frames in the same read. */
    @Test
    void unmaskedFrameAfterValidOnes() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(TEXT, utf8("ok")), unmaskedClient(PING, utf8("p")));
            client.expect(Frames.server(TEXT, utf8("ok")));
            client.expect(serverClose(1002, "client frame is not masked"));
            client.expectEndOfStream();
        }
        assertEquals("ok", echo.firstConnection().messages().next().text());
        assertEquals(new WebSocketCloseEvent(1002, "client frame is not masked", false, false),
                echo.firstConnection().closeEvents().next());
    }

    /** A violation in the bytes that came with the handshake request is judged as any other. */
    @Test
    void violationSentTogetherWithTheHandshake() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/",
                concat(client(TEXT, utf8("early")), unmaskedClient(TEXT, utf8("bad"))))) {
            client.expect(Frames.server(TEXT, utf8("early")));
            client.expect(serverClose(1002, "client frame is not masked"));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1002, "client frame is not masked", false, false),
                echo.firstConnection().closeEvents().next());
    }

    /** §5.2: RSV1, RSV2 and RSV3 must be 0 when no extension was negotiated (none ever is). */
    @ParameterizedTest(name = "RSV{0}")
    @CsvSource({"1, 64", "2, 32", "3, 16"})
    void reservedBits(int rsv, int rsvBit) throws Exception {
        expectProtocolError("reserved bits set but no extension negotiated", client(TEXT | rsvBit, utf8("x")));
    }

    /** §5.2: opcodes 3–7 (data) and 11–15 (control) are reserved. */
    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void reservedOpcodes(int opcode) throws Exception {
        expectProtocolError("reserved opcode " + opcode, client(0x80 | opcode, utf8("x")));
    }

    static Stream<Arguments> controlOpcodes() {
        return Stream.of(
                Arguments.of("ping", PING),
                Arguments.of("pong", PONG),
                Arguments.of("close", CLOSE));
    }

    /** §5.5: control frames carry at most 125 bytes; the 16-bit length form alone gives it away. */
    @ParameterizedTest(name = "{0} of 126 bytes")
    @MethodSource("controlOpcodes")
    void controlFrameOver125Bytes(String name, int firstByte) throws Exception {
        byte[] payload = concat(new byte[] {0x03, (byte) 0xE8}, new byte[124]);
        expectProtocolError(name + " frame payload over 125 bytes", client(firstByte, payload));
    }

    /** §5.5: control frames must not be fragmented. */
    @ParameterizedTest(name = "{0} without FIN")
    @MethodSource("controlOpcodes")
    void fragmentedControlFrame(String name, int firstByte) throws Exception {
        expectProtocolError("fragmented " + name + " frame", client(firstByte & 0x7F, utf8("")));
    }

    /** §5.4: a continuation frame needs a fragmented message to continue. */
    @Test
    void continuationWithoutStart() throws Exception {
        expectProtocolError("continuation frame without a message to continue",
                client(CONTINUATION_LAST, utf8("orphan")));
    }

    /** §5.4: a continuation after a message that has already ended is an orphan too. */
    @Test
    void continuationAfterFinishedMessage() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(TEXT, utf8("done")), client(CONTINUATION, utf8("more")));
            client.expect(Frames.server(TEXT, utf8("done")));
            client.expect(serverClose(1002, "continuation frame without a message to continue"));
            client.expectEndOfStream();
        }
        assertEquals("done", echo.firstConnection().messages().next().text());
        assertEquals(1002, echo.firstConnection().closeEvents().next().code());
    }

    static Stream<Arguments> newMessageInsideFragmented() {
        return Stream.of(
                Arguments.of("text inside text", TEXT_FIRST, TEXT),
                Arguments.of("binary inside text", TEXT_FIRST, BINARY),
                Arguments.of("unfinished text inside binary", BINARY_FIRST, TEXT_FIRST));
    }

    /** §5.4: fragments of one message must not be interleaved with another message. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newMessageInsideFragmented")
    void newMessageInsideFragmentedOne(String name, int first, int second) throws Exception {
        expectProtocolError("new message before the fragmented one ended",
                client(first, utf8("part")), client(second, utf8("intruder")));
    }

    /** §5.2: the most significant bit of a 64-bit length must be 0. */
    @Test
    void sixtyFourBitLengthWithTopBitSet() throws Exception {
        expectProtocolError("64-bit length with the most significant bit set",
                client(BINARY, 64, 0x8000_0000_0000_0005L, new byte[0]));
    }

    static Stream<Arguments> nonMinimalLengths() {
        return Stream.of(
                Arguments.of(16, 5),
                Arguments.of(16, 125),
                Arguments.of(64, 5),
                Arguments.of(64, 0xFFFF));
    }

    /**
     * §5.2: "the minimal number of bytes MUST be used to encode the length". Only the header is sent: it
     * alone must be enough to fail the connection.
     */
    @ParameterizedTest(name = "{1} bytes in the {0}-bit form")
    @MethodSource("nonMinimalLengths")
    void nonMinimalLength(int form, int length) throws Exception {
        expectProtocolError("length " + length + " not in its shortest form",
                client(BINARY, form, length, new byte[0]));
    }
}
