package dev.wsnetty.netty.protocol;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.codec.WebSocketProtocolException;
import dev.wsnetty.netty.protocol.ProtocolTestSupport.Recorder;
import dev.wsnetty.netty.protocol.ProtocolTestSupport.WriteHold;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.wsnetty.netty.protocol.ProtocolTestSupport.buf;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.received;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.releaseAll;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The closing handshake: exactly one Close frame, who closes TCP when, and the close event. */
class ProtocolHandlerCloseTest {
    private static final WebSocketConfig CONFIG = WebSocketConfig.builder().closeTimeout(Duration.ofSeconds(5)).build();

    private final Recorder recorder = new Recorder();
    private final List<WebSocketFrame> created = new ArrayList<>();
    private EmbeddedChannel ch;

    private EmbeddedChannel open(Role role, ChannelHandler... headSide) {
        ChannelHandler[] handlers = new ChannelHandler[headSide.length + 2];
        System.arraycopy(headSide, 0, handlers, 0, headSide.length);
        handlers[headSide.length] = new ProtocolHandler(CONFIG, role);
        handlers[headSide.length + 1] = recorder;
        ch = new EmbeddedChannel(handlers);
        ch.freezeTime();
        return ch;
    }

    /** A frame whose release the test checks at the end. */
    private WebSocketFrame track(WebSocketFrame frame) {
        created.add(frame);
        return frame;
    }

    /** An empty Close with a buffer of its own (EMPTY_BUFFER never reaches refCnt 0, so it cannot be checked). */
    private static WebSocketFrame emptyClose() {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_CLOSE, true, Unpooled.buffer(0));
    }

    @AfterEach
    void noLeaks() {
        recorder.assertExhausted();
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        for (WebSocketFrame f : created) {
            assertEquals(0, f.refCnt(), () -> f + " was not released");
        }
    }

    private void advance(long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    /** Asserts that exactly one frame was written and it is a Close with {@code code} (no reason). */
    private void assertOneClose(int code, String reason) {
        List<WebSocketFrame> out = written(ch);
        try {
            assertEquals(1, out.size(), () -> "frames written: " + out);
            assertTrue(out.get(0).isClose(), () -> "not a close: " + out.get(0));
            assertEquals(code, out.get(0).closeCode());
            assertEquals(reason, out.get(0).closeReason());
        } finally {
            releaseAll(out);
        }
    }

    /** An endpoint that failed the connection reads on until the peer's Close, its FIN or the close timeout. */
    private void lingerUntilCloseTimeout() {
        ch.runPendingTasks();
        assertTrue(ch.isOpen(), "a failing endpoint lingers for the peer's Close");
        advance(CONFIG.closeTimeout().toMillis());
    }

    private void assertClosedEvent(WebSocketCloseEvent expected) {
        ch.runPendingTasks();
        assertFalse(ch.isOpen(), "TCP should be closed");
        recorder.closeEvents.assertNext(expected);
    }

    private void assertPassedOnClose(int code, String reason) {
        List<WebSocketFrame> in = received(ch);
        try {
            assertEquals(1, in.size(), () -> "frames passed on: " + in);
            assertEquals(code, in.get(0).closeCode());
            assertEquals(reason, in.get(0).closeReason());
        } finally {
            releaseAll(in);
        }
    }

    static Stream<Object[]> echoCases() {
        List<Object[]> cases = new ArrayList<>();
        for (Role role : Role.values()) {
            for (int code : new int[] {1000, 1001, 3000, 4999}) {
                cases.add(new Object[] {role, code});
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} echoes {1}")
    @MethodSource("echoCases")
    void receivedCloseIsEchoedOnceWithItsCode(Role role, int code) {
        open(role);
        ch.writeInbound(track(WebSocketFrame.close(code, "bye")));

        assertPassedOnClose(code, "bye");
        assertOneClose(code, "");
        if (role == Role.CLIENT) {
            assertTrue(ch.isOpen(), "a client waits for the server to close TCP");
            advance(CONFIG.closeTimeout().toMillis());
        }
        assertClosedEvent(new WebSocketCloseEvent(code, "bye", true, true));
        assertTrue(written(ch).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void emptyCloseGetsEmptyReplyAndReports1005(Role role) {
        open(role);
        ch.writeInbound(track(emptyClose()));

        List<WebSocketFrame> out = written(ch);
        assertEquals(1, out.size());
        assertTrue(out.get(0).isClose());
        assertEquals(0, out.get(0).content().readableBytes());
        releaseAll(out);
        releaseAll(received(ch));
        if (role == Role.CLIENT) {
            advance(CONFIG.closeTimeout().toMillis());
        }
        assertClosedEvent(new WebSocketCloseEvent(CloseCodes.NO_STATUS_RECEIVED, "", true, true));
    }

    @Test
    void serverClosesTcpOnlyOnceItsReplyIsWritten() {
        WriteHold hold = new WriteHold();
        open(Role.SERVER, hold);
        ch.writeInbound(track(WebSocketFrame.close(1000, "")));
        releaseAll(received(ch));

        assertEquals(1, hold.held());
        assertTrue(ch.isOpen(), "closing TCP now would drop the reply");
        hold.release();
        assertOneClose(1000, "");
        assertClosedEvent(new WebSocketCloseEvent(1000, "", true, true));
    }

    @Test
    void serverForcesTcpCloseWhenItsReplyCannotBeWrittenWithinCloseTimeout() {
        WriteHold hold = new WriteHold();
        open(Role.SERVER, hold);
        ch.writeInbound(track(WebSocketFrame.close(1000, "")));
        releaseAll(received(ch));

        advance(CONFIG.closeTimeout().toMillis() - 1);
        assertTrue(ch.isOpen());
        advance(1);
        assertFalse(ch.isOpen());
        hold.release(); // the held Close now fails against the closed channel and is released
        assertTrue(written(ch).isEmpty());
        recorder.closeEvents.assertNext(new WebSocketCloseEvent(1000, "", true, false));
    }

    @Test
    void clientClosesTcpItselfOnlyAfterCloseTimeout() {
        open(Role.CLIENT);
        ch.writeInbound(track(WebSocketFrame.close(1000, "")));
        releaseAll(received(ch));
        assertOneClose(1000, "");

        advance(CONFIG.closeTimeout().toMillis() - 1);
        assertTrue(ch.isOpen());
        recorder.closeEvents.assertExhausted();
        advance(1);
        assertClosedEvent(new WebSocketCloseEvent(1000, "", true, true));
    }

    @Test
    void clientReportsCleanCloseWhenServerClosesTcp() {
        open(Role.CLIENT);
        ch.writeInbound(track(WebSocketFrame.close(1001, "restart")));
        releaseAll(received(ch));
        assertOneClose(1001, "");

        ch.unsafe().close(ch.unsafe().voidPromise()); // the server's FIN
        assertClosedEvent(new WebSocketCloseEvent(1001, "restart", true, true));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void protocolErrorSendsItsCodeAndClosesTcpWithoutPassingTheException(Role role) {
        open(role);
        ch.pipeline().fireExceptionCaught(new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD, "bad UTF-8"));

        assertOneClose(CloseCodes.INVALID_PAYLOAD, "bad UTF-8");
        lingerUntilCloseTimeout(); // either end lingers: the peer may still be sending
        assertClosedEvent(new WebSocketCloseEvent(CloseCodes.INVALID_PAYLOAD, "bad UTF-8", false, false));
        recorder.exceptions.assertExhausted();
    }

    @Test
    void wrappedProtocolErrorIsHandledTheSameWay() {
        open(Role.SERVER);
        ch.pipeline().fireExceptionCaught(new DecoderException(new WebSocketProtocolException(1002, "reserved opcode")));

        assertOneClose(1002, "reserved opcode");
        lingerUntilCloseTimeout();
        assertClosedEvent(new WebSocketCloseEvent(1002, "reserved opcode", false, false));
        recorder.exceptions.assertExhausted();
    }

    @Test
    void protocolErrorAfterOurCloseSendsNoSecondCloseButClosesTcp() {
        open(Role.SERVER);
        ch.writeAndFlush(track(WebSocketFrame.close(3000, "done")));
        assertOneClose(3000, "done");
        assertTrue(ch.isOpen());

        ch.pipeline().fireExceptionCaught(new WebSocketProtocolException(1002, "garbage"));
        assertTrue(written(ch).isEmpty());
        lingerUntilCloseTimeout();
        assertClosedEvent(new WebSocketCloseEvent(3000, "done", false, false));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void userCloseFrameIsSentOnceAndTheReplyCompletesTheHandshake(Role role) {
        open(role);
        ChannelFuture write = ch.write(track(WebSocketFrame.close(3000, "done"))); // no flush: the handler flushes
        assertTrue(write.isSuccess());
        assertOneClose(3000, "done");
        assertTrue(ch.isOpen(), "waits for the peer's Close");

        ch.writeInbound(track(WebSocketFrame.close(3000, "")));
        assertPassedOnClose(3000, "");
        assertTrue(written(ch).isEmpty(), "the peer's Close is the reply: no second Close");
        if (role == Role.SERVER) {
            ch.runPendingTasks();
            assertFalse(ch.isOpen(), "a server closes TCP at once");
        } else {
            assertTrue(ch.isOpen(), "a client waits for the server");
            advance(CONFIG.closeTimeout().toMillis());
        }
        assertClosedEvent(new WebSocketCloseEvent(3000, "", false, true));
    }

    @Test
    void closeTimeoutClosesTcpWhenThePeerNeverReplies() {
        open(Role.SERVER);
        ch.writeAndFlush(track(WebSocketFrame.close(1000, "")));
        assertOneClose(1000, "");

        advance(CONFIG.closeTimeout().toMillis() - 1);
        assertTrue(ch.isOpen());
        advance(1);
        assertClosedEvent(new WebSocketCloseEvent(1000, "", false, false));
    }

    @Test
    void dataArrivingBeforeThePeersCloseIsStillPassedOn() {
        open(Role.SERVER);
        ch.writeAndFlush(track(WebSocketFrame.close(1000, "")));
        releaseAll(written(ch));

        WebSocketFrame text = WebSocketFrame.text("late");
        ch.writeInbound(text);
        assertSame(text, ch.readInbound());
        text.release();
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void channelCloseSends1000AndThenClosesTcp(Role role) {
        open(role);
        ChannelFuture closed = ch.close();
        assertOneClose(1000, "");
        ch.runPendingTasks();
        assertTrue(closed.isSuccess());
        assertClosedEvent(new WebSocketCloseEvent(1000, "", false, false));
    }

    @Test
    void channelCloseAfterReceivedCloseEchoesItsCode() {
        open(Role.CLIENT);
        // A user handler that closes the channel when it sees the Close, before the automatic reply.
        ch.pipeline().addBefore(ch.pipeline().context(recorder).name(), "closer",
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ((WebSocketFrame) msg).release();
                        ctx.close();
                    }
                });
        ch.writeInbound(track(WebSocketFrame.close(4000, "app")));

        assertOneClose(4000, "");
        assertClosedEvent(new WebSocketCloseEvent(4000, "app", true, true));
    }

    @Test
    void userMayReplyToThePeersCloseWithItsOwnCode() {
        open(Role.SERVER);
        ch.pipeline().addBefore(ch.pipeline().context(recorder).name(), "replier",
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ((WebSocketFrame) msg).release();
                        ctx.writeAndFlush(WebSocketFrame.close(1001, "shutting down"));
                    }
                });
        ch.writeInbound(track(WebSocketFrame.close(1000, "")));

        assertOneClose(1001, "shutting down");
        assertClosedEvent(new WebSocketCloseEvent(1000, "", true, true));
    }

    @Test
    void secondUserCloseIsReleasedAndSucceedsQuietly() {
        open(Role.SERVER);
        ch.writeAndFlush(track(WebSocketFrame.close(1000, "")));
        ChannelFuture second = ch.writeAndFlush(track(WebSocketFrame.close(1001, "again")));

        assertTrue(second.isSuccess());
        assertOneClose(1000, "");
    }

    @Test
    void channelCloseWhileTheReplyIsPendingSendsNoSecondClose() {
        WriteHold hold = new WriteHold();
        open(Role.CLIENT, hold);
        ch.writeInbound(track(WebSocketFrame.close(1000, "")));
        releaseAll(received(ch));
        assertEquals(1, hold.held());

        ChannelFuture closed = ch.close();
        assertTrue(ch.isOpen(), "TCP waits for the pending Close");
        assertEquals(1, hold.held(), "no second Close");
        hold.release();
        ch.runPendingTasks();
        assertTrue(closed.isSuccess());
        assertOneClose(1000, "");
        assertClosedEvent(new WebSocketCloseEvent(1000, "", true, true));
    }

    @Test
    void writesAfterCloseFailWithAClearExceptionAndAreReleased() {
        open(Role.SERVER);
        ch.writeAndFlush(track(WebSocketFrame.close(1000, "")));
        releaseAll(written(ch));

        for (WebSocketFrame frame : new WebSocketFrame[] {WebSocketFrame.text("late"),
                WebSocketFrame.binary(buf("late")), WebSocketFrame.ping(buf("p")), WebSocketFrame.pong(buf("p"))}) {
            ChannelFuture f = ch.writeAndFlush(track(frame));
            assertFalse(f.isSuccess());
            CloseHandshakeStartedException e = assertInstanceOf(CloseHandshakeStartedException.class, f.cause());
            assertEquals(frame.opcode(), e.opcode());
            assertTrue(e.getMessage().contains("WebSocket close handshake already started"), e.getMessage());
        }
        assertTrue(written(ch).isEmpty());
        assertTrue(ch.isOpen(), "refused writes do not cut the closing handshake short");
    }

    @Test
    void writeAfterCloseWithVoidPromiseReportsButDoesNotCloseTcp() {
        open(Role.SERVER);
        ch.writeAndFlush(track(WebSocketFrame.close(1000, "")));
        releaseAll(written(ch));

        ch.writeAndFlush(track(WebSocketFrame.text("late")), ch.voidPromise());
        assertTrue(ch.isOpen());
        recorder.exceptions.next(CloseHandshakeStartedException.class);
        recorder.exceptions.assertExhausted();
    }

    @Test
    void malformedUserCloseIsRefusedWithoutStartingTheHandshake() {
        open(Role.SERVER);
        WebSocketFrame oneByte = track(new WebSocketFrame(WebSocketProtocol.OPCODE_CLOSE, true, buf("x")));
        ChannelFuture f = ch.writeAndFlush(oneByte);
        assertInstanceOf(IllegalArgumentException.class, f.cause());

        WebSocketFrame code1005 = track(new WebSocketFrame(WebSocketProtocol.OPCODE_CLOSE, true,
                Unpooled.buffer().writeShort(1005)));
        assertInstanceOf(IllegalArgumentException.class, ch.writeAndFlush(code1005).cause());

        WebSocketFrame text = track(WebSocketFrame.text("still open"));
        assertTrue(ch.writeAndFlush(text).isSuccess());
        releaseAll(written(ch));
    }

    @Test
    void tcpLossWithoutCloseReports1006Once() {
        open(Role.SERVER);
        ch.unsafe().close(ch.unsafe().voidPromise());
        assertEquals(1006, WebSocketCloseEvent.CONNECTION_LOST.code());
        assertEquals("connection lost", WebSocketCloseEvent.CONNECTION_LOST.reason());
        assertClosedEvent(WebSocketCloseEvent.CONNECTION_LOST);
        assertTrue(written(ch).isEmpty());
        ch.close(); // a later close changes nothing
        ch.runPendingTasks();
        recorder.closeEvents.assertExhausted();
    }

    @Test
    void ioErrorClosesTcpWithoutCloseFrameAndIsPassedOn() {
        open(Role.SERVER);
        IOException reset = new IOException("Connection reset by peer");
        ch.pipeline().fireExceptionCaught(reset);

        assertTrue(written(ch).isEmpty());
        assertClosedEvent(WebSocketCloseEvent.CONNECTION_LOST);
        // EmbeddedChannel tears the pipeline down synchronously on close, so the exception, passed on after
        // the close, reaches the pipeline's tail, where EmbeddedChannel keeps it: it was not swallowed.
        IOException passedOn = assertThrows(IOException.class, ch::checkException);
        assertSame(reset, passedOn);
    }

    @Test
    void failingServerDropsWhatArrivesAndClosesAtThePeersClose() {
        open(Role.SERVER);
        ch.pipeline().fireExceptionCaught(new WebSocketProtocolException(CloseCodes.MESSAGE_TOO_BIG, "too big"));
        assertOneClose(CloseCodes.MESSAGE_TOO_BIG, "too big");

        ch.writeInbound(track(WebSocketFrame.text("still sending")));
        assertTrue(received(ch).isEmpty(), "dropped while lingering");
        assertTrue(ch.isOpen(), "lingers until the peer's Close");

        ch.writeInbound(track(WebSocketFrame.close(CloseCodes.MESSAGE_TOO_BIG, "")));
        releaseAll(received(ch));
        assertClosedEvent(new WebSocketCloseEvent(CloseCodes.MESSAGE_TOO_BIG, "", false, true));
    }

    @Test
    void unexpectedErrorFailsTheConnectionWith1011AndIsPassedOn() {
        WriteHold hold = new WriteHold(); // keeps the pipeline in place until the Close is written
        open(Role.SERVER, hold);
        IllegalStateException bug = new IllegalStateException("decoder bug");
        ch.pipeline().fireExceptionCaught(bug);
        recorder.exceptions.assertNext(bug);

        hold.release();
        assertOneClose(CloseCodes.INTERNAL_ERROR, "internal error");
        lingerUntilCloseTimeout();
        assertClosedEvent(new WebSocketCloseEvent(CloseCodes.INTERNAL_ERROR, "internal error", false, false));
    }

    @Test
    void nothingIsPassedOnAfterThePeersClose() {
        open(Role.CLIENT);
        ch.writeInbound(track(WebSocketFrame.close(1000, "")));
        releaseAll(received(ch));
        releaseAll(written(ch));

        ch.writeInbound(track(WebSocketFrame.text("after close")), track(WebSocketFrame.ping(buf("p"))),
                track(emptyClose()));
        assertTrue(received(ch).isEmpty());
        assertTrue(written(ch).isEmpty(), "no pong and no second Close after the closing handshake");
    }

    @Test
    void aViolationMustGiveAReasonThatFitsACloseFrame() {
        String fits = "\uD83D\uDE00".repeat(30) + "abc"; // 4 bytes each: 120 + 3 = 123 bytes
        assertEquals(fits, new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, fits).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, fits + "d"));
        assertEquals("close reason is 124 bytes in UTF-8; at most 123 fit in a Close frame", e.getMessage());
    }
}
