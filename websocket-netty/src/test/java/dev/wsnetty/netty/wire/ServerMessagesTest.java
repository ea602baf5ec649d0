package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static dev.wsnetty.netty.testing.Bytes.counting;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.CLOSE;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION_LAST;
import static dev.wsnetty.netty.testing.Frames.TEXT;
import static dev.wsnetty.netty.testing.Frames.TEXT_FIRST;
import static dev.wsnetty.netty.testing.Frames.client;
import static dev.wsnetty.netty.testing.Frames.closePayload;
import static dev.wsnetty.netty.testing.Frames.server;
import static dev.wsnetty.netty.testing.Frames.serverClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Data messages through our server and back, byte for byte over a real socket: the server's frames are
 * unmasked with the shortest length form, messages keep their order, frames that arrive over several
 * reads are put together (the 256-byte streaming threshold makes the larger one arrive in pieces), and a
 * message left unfinished by a Close is dropped.
 */
class ServerMessagesTest {
    /** A server per test: each test sees only its own messages and close events. */
    private final EchoEndpoint echo = new EchoEndpoint();
    private TestServer server;

    @BeforeEach
    void startServer() {
        server = TestServer.start(echo, WebSocketConfig.builder().streamingThreshold(256).build());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** The server's frames use the 7-, 16- and 64-bit length forms exactly where they must. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 125, 126, 0xFFFF, 0x10000})
    void binaryIsEchoedInTheShortestLengthForm(int length) throws Exception {
        byte[] payload = counting(length);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(BINARY, payload));
            byte[] echo = client.readFrameBytes();
            int headerLength = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
            assertEquals(Bytes.hex(Arrays.copyOf(server(BINARY, payload), headerLength)),
                    Bytes.hex(Arrays.copyOf(echo, headerLength)), "header");
            assertArrayEquals(server(BINARY, payload), echo);
        }
        assertArrayEquals(payload, echo.firstConnection().messages().next().payload());
    }

    /** Several messages in one read come back in order, each as its own frame. */
    @Test
    void messagesInOneReadAreEchoedInOrder() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(TEXT, utf8("one")), client(BINARY, counting(3)), client(TEXT, utf8("")),
                    client(TEXT, utf8("four")));
            client.expect(server(TEXT, utf8("one")));
            client.expect(server(BINARY, counting(3)));
            client.expect(server(TEXT, utf8("")));
            client.expect(server(TEXT, utf8("four")));
        }
        assertArrayEquals(utf8("one"), echo.firstConnection().messages().next().payload());
        assertArrayEquals(counting(3), echo.firstConnection().messages().next().payload());
        assertArrayEquals(utf8(""), echo.firstConnection().messages().next().payload());
        assertArrayEquals(utf8("four"), echo.firstConnection().messages().next().payload());
    }

    /**
     * A frame sent in two writes, split inside a code point: under the streaming threshold (200 bytes)
     * the server collects it, over it (900 bytes) it passes it on in pieces; either way one frame comes back.
     */
    @ParameterizedTest(name = "frame of {0} bytes")
    @ValueSource(ints = {200, 900})
    void frameArrivingInPiecesIsEchoedWhole(int length) throws Exception {
        byte[] text = utf8("€".repeat(length / 3) + "x".repeat(length % 3));
        byte[] frame = client(TEXT, text);
        int split = frame.length / 2 + 1; // lands inside a three-byte "€"
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(Arrays.copyOf(frame, split));
            client.send(Arrays.copyOfRange(frame, split, frame.length));
            client.expect(server(TEXT, text));
        }
        assertArrayEquals(text, echo.firstConnection().messages().next().payload());
    }

    /** A Close in the middle of a fragmented message: the partial message is dropped, the Close echoed. */
    @Test
    void unfinishedMessageIsDroppedOnClose() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(TEXT_FIRST, utf8("never ")), client(CLOSE, closePayload(1000, "")),
                    client(CONTINUATION_LAST, utf8("finished")));
            client.expect(serverClose(1000, ""));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1000, "", true, true), echo.firstConnection().closeEvents().next());
        echo.firstConnection().messages().assertExhausted();
    }

    /** The largest Close reason that fits (123 bytes) is accepted. */
    @Test
    void longestCloseReasonIsAccepted() throws Exception {
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(client(CLOSE, closePayload(1000, "r".repeat(123))));
            client.expect(serverClose(1000, ""));
            client.expectEndOfStream();
        }
        assertEquals("r".repeat(123), echo.firstConnection().closeEvents().next().reason());
    }
}
