package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.netty.testing.Bytes.bytes;
import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static dev.wsnetty.netty.testing.Frames.CLOSE;
import static dev.wsnetty.netty.testing.Frames.PING;
import static dev.wsnetty.netty.testing.Frames.TEXT;
import static dev.wsnetty.netty.testing.Frames.client;
import static dev.wsnetty.netty.testing.Frames.closePayload;
import static dev.wsnetty.netty.testing.Frames.server;
import static dev.wsnetty.netty.testing.Frames.serverClose;
import static dev.wsnetty.netty.testing.Frames.unmaskedClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The closing handshake of RFC 6455 §5.5.1 and §7 on our server, over a real socket: which close codes
 * and reasons are accepted (valid codes are echoed, invalid ones get 1002, a reason that is not UTF-8
 * gets 1007), that each connection carries exactly one Close frame from the server whoever starts and
 * whatever follows, that the server closes TCP once the handshake is done, and that the close timeout
 * closes TCP when the client never answers. Each test has its own server, so that
 * {@link EchoEndpoint#firstConnection()} is the test's own connection.
 */
class ServerCloseHandshakeTest {
    private final EchoEndpoint echo = new EchoEndpoint();
    private TestServer server;

    @AfterEach
    void stopServer() {
        server.close();
    }

    private RawClient connect(WebSocketConfig config) throws Exception {
        server = TestServer.start(echo, config);
        return RawClient.upgrade(server.port(), "/");
    }

    private RawClient connect() throws Exception {
        return connect(WebSocketConfig.DEFAULT);
    }

    /** Every code valid on the wire is echoed (without the reason), then the server closes TCP. */
    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void validCodeIsEchoedAndServerClosesTcp(int code) throws Exception {
        try (RawClient client = connect()) {
            client.send(client(CLOSE, closePayload(code, "bye")));
            client.expect(server(CLOSE, closePayload(code, "")));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(code, "bye", true, true), echo.firstConnection().closeEvents().next());
    }

    /** A Close without a code is answered with a Close without a code; the event reports 1005. */
    @Test
    void closeWithoutCodeIsAnsweredWithoutCode() throws Exception {
        try (RawClient client = connect()) {
            client.send(client(CLOSE, new byte[0]));
            client.expect(server(CLOSE, new byte[0]));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1005, "", true, true), echo.firstConnection().closeEvents().next());
    }

    /** A reason in multi-byte UTF-8 is accepted and reported. */
    @Test
    void utf8ReasonIsAccepted() throws Exception {
        try (RawClient client = connect()) {
            client.send(client(CLOSE, closePayload(1000, "adiós €")));
            client.expect(serverClose(1000, ""));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1000, "adiós €", true, true), echo.firstConnection().closeEvents().next());
    }

    /** Codes that may not appear on the wire (reserved, local-only, unassigned or out of range) get 1002. */
    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    void invalidCodeIsAProtocolError(int code) throws Exception {
        try (RawClient client = connect()) {
            client.send(client(CLOSE, closePayload(code, "")));
            client.expect(serverClose(1002, "invalid close code " + code));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1002, "invalid close code " + code, false, false),
                echo.firstConnection().closeEvents().next());
    }

    /** A one-byte Close payload cannot hold a code: 1002. */
    @Test
    void oneBytePayloadIsAProtocolError() throws Exception {
        try (RawClient client = connect()) {
            client.send(client(CLOSE, bytes(0x03)));
            client.expect(serverClose(1002, "close frame payload of 1 byte"));
            client.expectEndOfStream();
        }
    }

    /** A reason that is not UTF-8 gets 1007. */
    @Test
    void reasonNotUtf8IsInvalidPayload() throws Exception {
        try (RawClient client = connect()) {
            client.send(client(CLOSE, concat(closePayload(1000, "ok"), bytes(0xC3, 0x28))));
            client.expect(serverClose(1007, "close reason is not valid UTF-8"));
            client.expectEndOfStream();
        }
    }

    /**
     * Nothing after the client's Close counts (§5.5.1): a text frame and even an unmasked frame sent right
     * behind it are neither echoed nor answered with a second Close.
     */
    @Test
    void framesAfterTheClientsCloseAreIgnored() throws Exception {
        try (RawClient client = connect()) {
            client.send(client(CLOSE, closePayload(1000, "bye")), client(TEXT, utf8("late")),
                    unmaskedClient(TEXT, utf8("bad")));
            client.expect(serverClose(1000, ""));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(1000, "bye", true, true), echo.firstConnection().closeEvents().next());
        echo.firstConnection().messages().assertExhausted();
    }

    /** The server starts: its Close carries its code and reason; the client's answer ends it with no second Close. */
    @Test
    void serverInitiatedCloseIsSentOnce() throws Exception {
        try (RawClient client = connect()) {
            Channel channel = echo.firstConnection().channel();
            channel.writeAndFlush(WebSocketFrame.close(4000, "server bye"));
            client.expect(serverClose(4000, "server bye"));
            client.send(client(CLOSE, closePayload(4000, "")));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(4000, "", false, true), echo.firstConnection().closeEvents().next());
    }

    /** After its Close the server still reads (and here echoes nothing of) data until the client's Close. */
    @Test
    void dataAfterTheServersCloseIsReadButNotAnswered() throws Exception {
        try (RawClient client = connect()) {
            echo.firstConnection().channel().writeAndFlush(WebSocketFrame.close(4000, "server bye"));
            client.expect(serverClose(4000, "server bye"));
            client.send(client(TEXT, utf8("in flight")), client(CLOSE, closePayload(1000, "")));
            client.expectEndOfStream();
        }
        assertEquals("in flight", echo.firstConnection().messages().next().text());
        assertEquals(new WebSocketCloseEvent(1000, "", false, true), echo.firstConnection().closeEvents().next());
    }

    /** Once the server has sent its Close it sends nothing else (§5.5.1): a ping then gets no pong. */
    @Test
    void pingAfterTheServersCloseGetsNoPong() throws Exception {
        try (RawClient client = connect()) {
            echo.firstConnection().channel().writeAndFlush(WebSocketFrame.close(4000, "server bye"));
            client.expect(serverClose(4000, "server bye"));
            client.send(client(PING, utf8("still there?")), client(CLOSE, closePayload(4000, "")));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(4000, "", false, true), echo.firstConnection().closeEvents().next());
    }

    /** A protocol violation after the server's Close closes TCP without a second Close. */
    @Test
    void violationAfterTheServersCloseSendsNoSecondClose() throws Exception {
        try (RawClient client = connect()) {
            echo.firstConnection().channel().writeAndFlush(WebSocketFrame.close(4000, "server bye"));
            client.expect(serverClose(4000, "server bye"));
            client.send(unmaskedClient(TEXT, utf8("bad")));
            client.expectEndOfStream();
        }
        assertEquals(new WebSocketCloseEvent(4000, "server bye", false, false),
                echo.firstConnection().closeEvents().next());
    }

    /** Two violations in one read: one Close, for the first. */
    @Test
    void twoViolationsInOneReadGetOneClose() throws Exception {
        try (RawClient client = connect()) {
            client.send(client(0x83, utf8("x")), unmaskedClient(TEXT, utf8("y")));
            client.expect(serverClose(1002, "reserved opcode 3"));
            client.expectEndOfStream();
        }
    }

    /** A second Close written by the application after the first is not sent. */
    @Test
    void secondCloseWrittenByTheApplicationIsNotSent() throws Exception {
        try (RawClient client = connect()) {
            Channel channel = echo.firstConnection().channel();
            channel.writeAndFlush(WebSocketFrame.close(4000, "first"));
            channel.writeAndFlush(WebSocketFrame.close(4001, "second")).await(5, TimeUnit.SECONDS);
            client.expect(serverClose(4000, "first"));
            client.send(client(CLOSE, closePayload(4000, "")));
            client.expectEndOfStream();
        }
    }

    /**
     * The client never answers the server's Close: the server closes TCP after {@code closeTimeout}
     * (300 ms here), not before. The lower bound is exact: the timer starts after the write is asked for.
     */
    @Test
    void closeTimeoutClosesTcpWhenTheClientNeverAnswers() throws Exception {
        Duration closeTimeout = Duration.ofMillis(300);
        try (RawClient client = connect(WebSocketConfig.builder().closeTimeout(closeTimeout).build())) {
            Channel channel = echo.firstConnection().channel();
            long start = System.nanoTime();
            channel.writeAndFlush(WebSocketFrame.close(4000, "server bye"));
            client.expect(serverClose(4000, "server bye"));
            client.expectEndOfStream();
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= closeTimeout.toNanos(), "closed after " + elapsed / 1_000_000 + " ms");
        }
        assertEquals(new WebSocketCloseEvent(4000, "server bye", false, false),
                echo.firstConnection().closeEvents().next());
    }
}
