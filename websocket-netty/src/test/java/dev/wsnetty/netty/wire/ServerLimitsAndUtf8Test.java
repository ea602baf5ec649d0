package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static dev.wsnetty.netty.testing.Bytes.bytes;
import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.counting;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.BINARY_FIRST;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION_LAST;
import static dev.wsnetty.netty.testing.Frames.TEXT;
import static dev.wsnetty.netty.testing.Frames.TEXT_FIRST;
import static dev.wsnetty.netty.testing.Frames.client;
import static dev.wsnetty.netty.testing.Frames.server;
import static dev.wsnetty.netty.testing.Frames.serverClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Size limits (close 1009) and UTF-8 validation (close 1007) on our server, over a real socket. The
 * server is configured with a 1000-byte frame limit, a 2000-byte message limit and a 256-byte streaming
 * threshold. Where a test sends only the start of a frame, the server's Close arriving proves that it
 * judged the frame from what had arrived, without waiting for (or buffering) the rest.
 */
class ServerLimitsAndUtf8Test {
    private static final int MAX_FRAME = 1000;
    private static final int MAX_MESSAGE = 2000;
    /** A server per test: each test sees only its own messages and close events. */
    private final EchoEndpoint echo = new EchoEndpoint();
    private TestServer server;

    @BeforeEach
    void startServer() {
        server = TestServer.start(echo, WebSocketConfig.builder()
                .maxFrameSize(MAX_FRAME)
                .maxMessageSize(MAX_MESSAGE)
                .streamingThreshold(256)
                .build());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Sends {@code bytes} in one write; expects Close {@code code} with {@code reason}, then the end of the stream. */
    private void expectFailure(int code, String reason, byte[]... bytes) throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(bytes);
            client.expect(serverClose(code, reason));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(code, reason, false, false), echo.firstConnection().closeEvents().next());
    }

    // ---- limits ----

    /** Frames and messages exactly at the limits pass, fragmented ones arriving as one message. */
    @Test
    void framesAndMessagesAtTheLimitsAreEchoed() throws Exception {
        byte[] frame = counting(MAX_FRAME);
        byte[] half = counting(MAX_MESSAGE / 2);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(BINARY, frame));
            client.expect(server(BINARY, frame));
            client.send(client(BINARY_FIRST, half), client(CONTINUATION_LAST, half));
            client.expect(server(BINARY, concat(half, half)));
        }
        assertArrayEquals(frame, echo.firstConnection().messages().next().payload());
        assertArrayEquals(concat(half, half), echo.firstConnection().messages().next().payload());
        assertEquals(WebSocketCloseEvent.CONNECTION_LOST, echo.firstConnection().closeEvents().next());
    }

    /**
     * A frame announcing more than the frame limit fails with 1009 from its header: only the header and
     * a few payload bytes are sent, the other 999,990 never are.
     */
    @Test
    void frameOverTheLimitFailsFromItsHeader() throws Exception {
        expectFailure(1009, "frame of 1000000 bytes exceeds the limit of " + MAX_FRAME,
                client(BINARY, 64, 1_000_000, counting(10)));
    }

    /** One byte over the frame limit is over. */
    @Test
    void frameOneByteOverTheLimit() throws Exception {
        expectFailure(1009, "frame of 1001 bytes exceeds the limit of " + MAX_FRAME,
                client(TEXT, 16, MAX_FRAME + 1, utf8("abc")));
    }

    /**
     * Fragments each under the frame limit but together over the message limit fail with 1009 at the
     * header of the fragment that crosses it, before its payload is sent.
     */
    @Test
    void messageOverTheLimitFailsAtTheCrossingFragment() throws Exception {
        byte[] part = counting(900);
        expectFailure(1009, "message of 2700 bytes or more exceeds the limit of " + MAX_MESSAGE,
                client(BINARY_FIRST, part), client(CONTINUATION, part), client(CONTINUATION_LAST, 16, 900, new byte[0]));
    }

    // ---- UTF-8 ----

    /** Text in one frame that is not UTF-8 ("caf" then C3 28: a lead byte without its continuation). */
    @Test
    void invalidUtf8InOneFrame() throws Exception {
        expectFailure(1007, "text is not valid UTF-8", client(TEXT, concat(utf8("caf"), bytes(0xC3, 0x28))));
    }

    static Stream<Arguments> invalidSequences() {
        return Stream.of(
                Arguments.of("FF, never valid", bytes(0xFF)),
                Arguments.of("C0 80, overlong NUL", bytes(0xC0, 0x80)),
                Arguments.of("ED A0 80, surrogate D800", bytes(0xED, 0xA0, 0x80)),
                Arguments.of("F4 90 80 80, above U+10FFFF", bytes(0xF4, 0x90, 0x80, 0x80)));
    }

    /** The classic invalid sequences, each after valid text. */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalidSequences(String name, byte[] sequence) throws Exception {
        expectFailure(1007, "text is not valid UTF-8", client(TEXT, concat(utf8("ok "), sequence)));
    }

    /** A code point split across fragments is valid and the message comes back whole ("€" = E2 82 AC). */
    @Test
    void codePointSplitAcrossFragmentsIsValid() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(TEXT_FIRST, bytes(0x61, 0xE2)), client(CONTINUATION, bytes(0x82)),
                    client(CONTINUATION_LAST, bytes(0xAC, 0x62)));
            client.expect(server(TEXT, utf8("a€b")));
        }
        assertEquals("a€b", echo.firstConnection().messages().next().text());
        assertEquals(WebSocketCloseEvent.CONNECTION_LOST, echo.firstConnection().closeEvents().next());
    }

    /** A sequence started in one fragment and broken in the next fails at the breaking byte. */
    @Test
    void invalidUtf8SplitAcrossFragments() throws Exception {
        expectFailure(1007, "text is not valid UTF-8",
                client(TEXT_FIRST, bytes(0x61, 0xE2, 0x82)), client(CONTINUATION_LAST, bytes(0x28)));
    }

    /**
     * The breaking fragment is sent without FIN and nothing follows: the server fails the connection at
     * the bad byte instead of waiting for the end of the message.
     */
    @Test
    void invalidUtf8FailsBeforeTheMessageEnds() throws Exception {
        expectFailure(1007, "text is not valid UTF-8",
                client(TEXT_FIRST, bytes(0x61, 0xE2)), client(CONTINUATION, bytes(0x41)));
    }

    /** A message whose last frame ends inside a code point fails at that frame. */
    @Test
    void textEndingInsideACodePoint() throws Exception {
        expectFailure(1007, "text ends inside a UTF-8 sequence", client(TEXT, bytes(0x61, 0xE2, 0x82)));
    }

    /** The same across fragments: every fragment is fine alone, the message is not. */
    @Test
    void fragmentedTextEndingInsideACodePoint() throws Exception {
        expectFailure(1007, "text ends inside a UTF-8 sequence",
                client(TEXT_FIRST, utf8("abc")), client(CONTINUATION_LAST, bytes(0xF0, 0x9F)));
    }

    /**
     * Fail fast inside a frame that has only partly arrived: the header announces {@code length} bytes but
     * only the first five (with an invalid byte) are sent. Under the streaming threshold (200) the decoder
     * collects the frame, over it (900) it streams the frame in pieces; either way the Close comes at once.
     */
    @ParameterizedTest(name = "frame of {0} bytes")
    @ValueSource(ints = {200, 900})
    void invalidUtf8InAPartlyArrivedFrame(int length) throws Exception {
        byte[] start = concat(utf8("ab"), bytes(0xFF), utf8("cd"));
        expectFailure(1007, "text is not valid UTF-8", client(TEXT, 16, length, start));
    }

    /** Binary payloads are not UTF-8 checked: the same bytes as binary are echoed. */
    @Test
    void binaryIsNotValidatedAsText() throws Exception {
        byte[] payload = concat(utf8("caf"), bytes(0xC3, 0x28, 0xFF));
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(BINARY, payload));
            client.expect(server(BINARY, payload));
        }
        assertArrayEquals(payload, echo.firstConnection().messages().next().payload());
        assertEquals(WebSocketCloseEvent.CONNECTION_LOST, echo.firstConnection().closeEvents().next());
    }
}
