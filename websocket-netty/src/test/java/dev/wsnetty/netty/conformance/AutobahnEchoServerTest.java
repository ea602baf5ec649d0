package dev.wsnetty.netty.conformance;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.WireFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Autobahn traps where the frame handlers meet (decoder, protocol handler, aggregator, echo), replayed
 * over a real socket against {@link AutobahnEchoServer}'s pipeline, so that they are guarded by the
 * ordinary test run too (the suite itself runs only in {@code verify}). The close timeout is an hour:
 * every TCP close seen here therefore comes from the closing handshake, not from that timer.
 */
class AutobahnEchoServerTest {
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Autobahn 3.2 / 4.1.3: the message before the bad frame is echoed, the ping after it gets no pong. */
    @Test
    void echoesTheMessageBeforeABadFrameOfTheSameReadAndAnswersNoPingAfterIt() throws Exception {
        try (RawClient client = connect()) {
            client.send(concat(
                    Frames.client(0x80 | TEXT, utf8("Hello, world!")),
                    Frames.client(0x80 | 0x20 | TEXT, utf8("Hello, world!")), // RSV2
                    Frames.client(0x80 | PING, new byte[0])));
            expect(client, TEXT, utf8("Hello, world!"));
            expectClose(client, 1002);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 7.1.3 / 7.1.4: one Close in reply, no pong and no echo after the peer's Close, TCP closed at once. */
    @Test
    void repliesToCloseOnceIgnoresWhatFollowsAndClosesTcpRightAway() throws Exception {
        try (RawClient client = connect()) {
            client.send(concat(
                    Frames.client(0x80 | CLOSE, Frames.closePayload(1000, "")),
                    Frames.client(0x80 | PING, utf8("ping")),
                    Frames.client(0x80 | TEXT, utf8("Hello World!")),
                    Frames.client(0x80 | CLOSE, new byte[0])));
            expectClose(client, 1000);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 4.1.1: failing the connection closes TCP without waiting for the client's Close. */
    @Test
    void failingTheConnectionClosesTcpWithoutWaitingForTheClientsClose() throws Exception {
        try (RawClient client = connect()) {
            client.send(Frames.client(0x80 | 0x3, new byte[0])); // reserved opcode
            expectClose(client, 1002);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 6.4.4: invalid UTF-8 fails the connection while the frame that holds it is still arriving. */
    @Test
    void failsOnInvalidUtf8InsideATextFrameThatHasNotFullyArrived() throws Exception {
        byte[] text = Bytes.hex("cebae1bdb9cf83cebcceb5f4908080656469746564");
        byte[] whole = Frames.client(TEXT, text); // FIN=0, as the suite's streaming API sends it
        int invalid = whole.length - text.length + 12; // the 0x90 after the lead byte 0xF4: U+110000
        try (RawClient client = connect()) {
            client.send(Arrays.copyOf(whole, invalid)); // a valid prefix: must not fail yet
            client.send(Arrays.copyOfRange(whole, invalid, invalid + 1));
            expectClose(client, 1007);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 5.6 / 5.19: a ping inside a fragmented message is answered before the message ends. */
    @Test
    void answersAPingInsideAFragmentedMessageBeforeTheMessageEnds() throws Exception {
        try (RawClient client = connect()) {
            client.send(concat(Frames.client(TEXT, utf8("fragment1")), Frames.client(0x80 | PING, utf8("ping payload"))));
            expect(client, PONG, utf8("ping payload"));
            client.send(Frames.client(0x80 | CONTINUATION, utf8("fragment2")));
            expect(client, TEXT, utf8("fragment1fragment2"));
            client.send(Frames.client(0x80 | CLOSE, Frames.closePayload(1000, "")));
            expectClose(client, 1000);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 1.2.8 / 9.6: a large frame written in small chops is streamed, reassembled and echoed whole. */
    @Test
    void echoesALargeFrameWrittenInSmallChops() throws Exception {
        byte[] payload = new byte[256 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        byte[] wire = Frames.client(0x80 | BINARY, payload);
        try (RawClient client = connect()) {
            for (int at = 0; at < wire.length; at += 997) {
                client.send(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 997)));
            }
            expect(client, BINARY, payload);
            client.send(Frames.client(0x80 | CLOSE, Frames.closePayload(1000, "")));
            expectClose(client, 1000);
            client.expectEndOfStream();
        }
    }

    private RawClient connect() throws IOException {
        WebSocketConfig config = AutobahnEchoServer.config().toBuilder().closeTimeout(Duration.ofHours(1)).build();
        server = TestServer.start(AutobahnEchoServer.settings(config));
        return RawClient.upgrade(server.port(), "/");
    }

    /** Reads the next frame and checks that it is a final, unmasked frame with this opcode and payload. */
    private static void expect(RawClient client, int opcode, byte[] payload) throws IOException {
        client.expect(Frames.server(0x80 | opcode, payload));
    }

    /** Reads the next frame and checks that it is a final Close frame with this code (and any reason). */
    private static void expectClose(RawClient client, int code) throws IOException {
        WireFrame close = client.readFrame();
        assertTrue(close.fin(), "FIN of the server's Close");
        assertEquals(code, close.closeCode(), "close code");
    }
}
