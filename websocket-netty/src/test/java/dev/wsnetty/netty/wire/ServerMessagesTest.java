package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.interop.EchoServer;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static dev.wsnetty.netty.wire.WireFrames.BINARY;
import static dev.wsnetty.netty.wire.WireFrames.CLOSE;
import static dev.wsnetty.netty.wire.WireFrames.CONTINUATION_LAST;
import static dev.wsnetty.netty.wire.WireFrames.TEXT;
import static dev.wsnetty.netty.wire.WireFrames.TEXT_FIRST;
import static dev.wsnetty.netty.wire.WireFrames.client;
import static dev.wsnetty.netty.wire.WireFrames.closePayload;
import static dev.wsnetty.netty.wire.WireFrames.counting;
import static dev.wsnetty.netty.wire.WireFrames.server;
import static dev.wsnetty.netty.wire.WireFrames.serverClose;
import static dev.wsnetty.netty.wire.WireFrames.utf8;
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
    private EchoServer server;

    @BeforeEach
    void startServer() {
        server = EchoServer.start(WebSocketConfig.builder().streamingThreshold(256).build());
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
        try (WireClient client = WireClient.upgrade(server.port(), EchoServer.PATH)) {
            client.send(client(BINARY, payload));
            byte[] echo = client.readFrame();
            int headerLength = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
            assertEquals(WireClient.hex(Arrays.copyOf(server(BINARY, payload), headerLength)),
                    WireClient.hex(Arrays.copyOf(echo, headerLength)), "header");
            assertArrayEquals(server(BINARY, payload), echo);
        }
        assertArrayEquals(payload, server.nextMessage().payload());
    }

    /** Several messages in one read come back in order, each as its own frame. */
    @Test
    void messagesInOneReadAreEchoedInOrder() throws Exception {
        try (WireClient client = WireClient.upgrade(server.port(), EchoServer.PATH)) {
            client.send(client(TEXT, utf8("one")), client(BINARY, counting(3)), client(TEXT, utf8("")),
                    client(TEXT, utf8("four")));
            client.expect(server(TEXT, utf8("one")));
            client.expect(server(BINARY, counting(3)));
            client.expect(server(TEXT, utf8("")));
            client.expect(server(TEXT, utf8("four")));
        }
        assertArrayEquals(utf8("one"), server.nextMessage().payload());
        assertArrayEquals(counting(3), server.nextMessage().payload());
        assertArrayEquals(utf8(""), server.nextMessage().payload());
        assertArrayEquals(utf8("four"), server.nextMessage().payload());
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
        try (WireClient client = WireClient.upgrade(server.port(), EchoServer.PATH)) {
            client.send(Arrays.copyOf(frame, split));
            client.send(Arrays.copyOfRange(frame, split, frame.length));
            client.expect(server(TEXT, text));
        }
        assertArrayEquals(text, server.nextMessage().payload());
    }

    /** A Close in the middle of a fragmented message: the partial message is dropped, the Close echoed. */
    @Test
    void unfinishedMessageIsDroppedOnClose() throws Exception {
        try (WireClient client = WireClient.upgrade(server.port(), EchoServer.PATH)) {
            client.send(client(TEXT_FIRST, utf8("never ")), client(CLOSE, closePayload(1000, "")),
                    client(CONTINUATION_LAST, utf8("finished")));
            client.expect(serverClose(1000, ""));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1000, "", true, true), server.nextCloseEvent());
        assertEquals(0, server.pendingMessages());
    }

    /** The largest Close reason that fits (123 bytes) is accepted. */
    @Test
    void longestCloseReasonIsAccepted() throws Exception {
        try (WireClient client = WireClient.upgrade(server.port(), EchoServer.PATH)) {
            client.send(client(CLOSE, closePayload(1000, "r".repeat(123))));
            client.expect(serverClose(1000, ""));
            client.expectEndOfStream();
        }
        assertEquals("r".repeat(123), server.nextCloseEvent().reason());
    }
}
