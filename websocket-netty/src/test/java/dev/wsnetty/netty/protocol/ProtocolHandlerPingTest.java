package dev.wsnetty.netty.protocol;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.ProtocolTestSupport.FlushCounter;
import dev.wsnetty.netty.protocol.ProtocolTestSupport.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.netty.protocol.ProtocolTestSupport.buf;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.received;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.releaseAll;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ping/pong answering, batching and coalescing, and the idle and keep-alive timers. */
class ProtocolHandlerPingTest {
    private final Recorder recorder = new Recorder();
    private final FlushCounter flushCounter = new FlushCounter();
    private final List<ByteBuf> created = new ArrayList<>();
    private EmbeddedChannel ch;

    private EmbeddedChannel open(Role role, WebSocketConfig config) {
        ch = new EmbeddedChannel(flushCounter, new ProtocolHandler(config, role), recorder);
        ch.freezeTime();
        return ch;
    }

    private ByteBuf track(ByteBuf buf) {
        created.add(buf);
        return buf;
    }

    @AfterEach
    void noLeaks() {
        recorder.assertExhausted();
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        for (ByteBuf b : created) {
            assertEquals(0, b.refCnt(), "a payload was not released");
        }
    }

    private void advance(Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    private static List<String> payloads(List<WebSocketFrame> frames) {
        List<String> texts = new ArrayList<>();
        for (WebSocketFrame f : frames) {
            texts.add((f.isPong() ? "pong:" : f.isPing() ? "ping:" : f.isClose() ? "close:" : "data:") + f.text());
        }
        return texts;
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void pingIsAnsweredWithTheSamePayloadWithoutCopy(Role role) {
        open(role, WebSocketConfig.DEFAULT);
        ByteBuf payload = track(Unpooled.wrappedBuffer(new byte[] {0x00, (byte) 0xff, (byte) 0xfe, (byte) 0xfd}));
        ch.writeInbound(WebSocketFrame.ping(payload));

        WebSocketFrame pong = ch.readOutbound();
        assertTrue(pong.isPong());
        assertSame(payload, pong.content(), "the pong reuses the ping's buffer");
        pong.release();
        assertTrue(received(ch).isEmpty(), "pings are consumed");
    }

    @Test
    void pingsOfOneReadBatchGetOnePongEachInOrderAndOneFlush() {
        open(Role.SERVER, WebSocketConfig.DEFAULT);
        int flushesBefore = flushCounter.flushes;
        Object[] pings = new Object[10];
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < pings.length; i++) {
            pings[i] = WebSocketFrame.ping(track(buf("payload-" + i)));
            expected.add("pong:payload-" + i);
        }
        ch.writeInbound(pings);

        List<WebSocketFrame> out = written(ch);
        assertEquals(expected, payloads(out));
        releaseAll(out);
        assertEquals(1, flushCounter.flushes - flushesBefore, "one flush per read batch");
    }

    @Test
    void whileUnwritableOnlyTheLatestPingIsAnsweredOnceWritableAgain() {
        open(Role.SERVER, WebSocketConfig.DEFAULT);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(WebSocketFrame.binary(track(Unpooled.wrappedBuffer(new byte[64])))); // queued, not flushed
        ch.runPendingTasks();
        assertFalse(ch.isWritable());

        ch.writeInbound(WebSocketFrame.ping(track(buf("a"))), WebSocketFrame.ping(track(buf("b"))));
        ch.writeInbound(WebSocketFrame.ping(track(buf("c"))));
        assertTrue(written(ch).isEmpty());
        assertEquals(0, created.get(1).refCnt(), "superseded ping released at once");
        assertEquals(0, created.get(2).refCnt(), "superseded ping released at once");

        ch.flush(); // the peer reads again: the queue drains and the channel becomes writable
        ch.runPendingTasks();
        assertTrue(ch.isWritable());
        List<WebSocketFrame> out = written(ch);
        assertEquals(2, out.size());
        assertTrue(out.get(0).isBinary());
        assertEquals("pong:c", payloads(out.subList(1, 2)).get(0));
        releaseAll(out);
    }

    @Test
    void pendingPingIsDroppedWhenCloseIsSent() {
        open(Role.SERVER, WebSocketConfig.DEFAULT);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(WebSocketFrame.binary(track(Unpooled.wrappedBuffer(new byte[64]))));
        ch.runPendingTasks();
        ch.writeInbound(WebSocketFrame.ping(track(buf("a"))));

        ch.writeAndFlush(WebSocketFrame.close(1000, ""));
        ch.runPendingTasks();
        List<WebSocketFrame> out = written(ch);
        assertEquals(2, out.size(), "the binary and the Close, no pong");
        assertTrue(out.get(0).isBinary());
        assertTrue(out.get(1).isClose());
        releaseAll(out);
    }

    @Test
    void pongsArePassedOn() {
        open(Role.CLIENT, WebSocketConfig.DEFAULT);
        WebSocketFrame pong = WebSocketFrame.pong(track(buf("unsolicited")));
        ch.writeInbound(pong);
        assertSame(pong, ch.readInbound());
        pong.release();
        assertTrue(written(ch).isEmpty());
    }

    @Test
    void noPongOnceCloseWasSent() {
        open(Role.SERVER, WebSocketConfig.DEFAULT);
        ch.writeAndFlush(WebSocketFrame.close(1000, ""));
        releaseAll(written(ch));

        ch.writeInbound(WebSocketFrame.ping(track(buf("p"))));
        assertTrue(written(ch).isEmpty());
    }

    @Test
    void idleTimeoutClosesWith1001AfterNothingWasReceived() {
        Duration idle = Duration.ofSeconds(60);
        open(Role.SERVER, WebSocketConfig.builder().idleTimeout(idle).build());

        advance(Duration.ofSeconds(59));
        WebSocketFrame text = WebSocketFrame.text("keeps it alive");
        ch.writeInbound(text);
        releaseAll(received(ch));
        advance(Duration.ofSeconds(59));
        assertTrue(written(ch).isEmpty(), "the read restarted the idle time");
        advance(Duration.ofSeconds(1));

        List<WebSocketFrame> out = written(ch);
        assertEquals(List.of(CloseCodes.GOING_AWAY), List.of(out.get(0).closeCode()));
        assertEquals("idle timeout", out.get(0).closeReason());
        assertEquals(1, out.size());
        releaseAll(out);
        assertTrue(ch.isOpen(), "waits for the peer's Close");

        ch.writeInbound(WebSocketFrame.close(1001, ""));
        releaseAll(received(ch));
        ch.runPendingTasks();
        assertFalse(ch.isOpen());
        recorder.closeEvents.assertNext(new WebSocketCloseEvent(1001, "", false, true));
    }

    @Test
    void unansweredKeepAlivePingFailsTheConnectionWith1011() {
        open(Role.CLIENT, WebSocketConfig.builder().pingInterval(Duration.ofSeconds(30))
                .pongTimeout(Duration.ofSeconds(10)).build());

        advance(Duration.ofSeconds(29));
        assertTrue(written(ch).isEmpty());
        advance(Duration.ofSeconds(1));
        List<WebSocketFrame> out = written(ch);
        assertEquals(1, out.size());
        assertTrue(out.get(0).isPing());
        assertEquals(8, out.get(0).content().readableBytes());
        releaseAll(out);

        advance(Duration.ofSeconds(10));
        out = written(ch);
        assertEquals(1, out.size());
        assertEquals(CloseCodes.INTERNAL_ERROR, out.get(0).closeCode());
        assertEquals("keepalive ping timeout", out.get(0).closeReason());
        releaseAll(out);
        assertTrue(ch.isOpen(), "the connection is failed: it lingers for the server's FIN");
        advance(Duration.ofSeconds(5)); // the default close timeout
        assertFalse(ch.isOpen(), "TCP closed at the close timeout");
        recorder.closeEvents.assertNext(new WebSocketCloseEvent(1011, "keepalive ping timeout", false, false));
    }

    @Test
    void answeredKeepAlivePingKeepsTheConnectionAndPingsAgainLater() {
        open(Role.SERVER, WebSocketConfig.builder().pingInterval(Duration.ofSeconds(30))
                .pongTimeout(Duration.ofSeconds(10)).build());

        advance(Duration.ofSeconds(30));
        WebSocketFrame ping = ch.readOutbound();
        assertTrue(ping.isPing());
        advance(Duration.ofSeconds(5));
        WebSocketFrame pong = WebSocketFrame.pong(ping.content()); // the peer echoes the payload
        ch.writeInbound(pong);
        assertSame(pong, ch.readInbound(), "the user sees the pong");
        pong.release();

        advance(Duration.ofSeconds(10));
        assertTrue(written(ch).isEmpty(), "answered: no close");
        assertTrue(ch.isOpen());
        advance(Duration.ofSeconds(20)); // 30 s after the pong was read
        List<WebSocketFrame> out = written(ch);
        assertEquals(1, out.size());
        assertTrue(out.get(0).isPing());
        releaseAll(out);
        recorder.closeEvents.assertExhausted();
    }

    @Test
    void timersStartWhenAddedToAnActiveChannel() {
        ch = new EmbeddedChannel(recorder);
        ch.freezeTime();
        ch.pipeline().addFirst(new ProtocolHandler(WebSocketConfig.builder()
                .idleTimeout(Duration.ofSeconds(5)).build(), Role.SERVER));

        advance(Duration.ofSeconds(5));
        List<WebSocketFrame> out = written(ch);
        assertEquals(1, out.size());
        assertEquals(CloseCodes.GOING_AWAY, out.get(0).closeCode());
        releaseAll(out);
    }

    @Test
    void timersStopWithTheConnection() {
        open(Role.SERVER, WebSocketConfig.builder().idleTimeout(Duration.ofSeconds(5))
                .pingInterval(Duration.ofSeconds(1)).build());
        ch.unsafe().close(ch.unsafe().voidPromise());
        ch.runPendingTasks();
        assertFalse(ch.hasPendingTasks());
        advance(Duration.ofSeconds(60));
        assertTrue(written(ch).isEmpty());
        recorder.closeEvents.assertNext(WebSocketCloseEvent.CONNECTION_LOST);
    }
}
