package dev.wsnetty.netty.codec;

import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.protocol.MessageAggregator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.BINARY_FIRST;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION_LAST;
import static dev.wsnetty.netty.testing.Frames.PING;
import static dev.wsnetty.netty.testing.Frames.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What {@link FrameDecoder} counts in the connection's {@link InboundMemoryBudget}: the bytes of an unfinished
 * frame or message read so far, settled after each read, released once the message went on whole or the
 * connection ended; nothing for a message that arrives whole.
 */
class FrameDecoderAccountingTest {
    private final InboundMemoryBudget budget = InboundMemoryBudget.of(1L << 30);
    private final EmbeddedChannel channel = new EmbeddedChannel();

    FrameDecoderAccountingTest() {
        WebSocketPipeline.useInboundMemoryBudget(channel.pipeline(), budget);
        channel.pipeline().addLast(new FrameDecoder(WebSocketConfig.DEFAULT, Role.SERVER), new MessageAggregator());
    }

    @AfterEach
    void finish() {
        assertFalse(channel.finishAndReleaseAll());
        assertEquals(0, budget.used(), "released when the channel ends");
    }

    private void read(byte[] bytes, int from, int to) {
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, from, to)));
    }

    private void expectMessage(int opcode, int length) {
        WebSocketFrame message = channel.readInbound();
        try {
            assertEquals(opcode, message.opcode());
            assertEquals(length, message.content().readableBytes());
        } finally {
            message.release();
        }
    }

    @Test
    void aMessageThatArrivesWholeIsNeverCounted() {
        byte[] frame = client(BINARY, new byte[50_000]);
        read(frame, 0, frame.length);
        assertEquals(0, budget.used());
        expectMessage(2, 50_000);
    }

    /** A decoder that passes frames over 16 KiB on in pieces, the default before issue 15. */
    private void streamFramesOver16KiB() {
        channel.pipeline().replace(FrameDecoder.class, "decoder",
                new FrameDecoder(WebSocketConfig.builder().streamingThreshold(16 * 1024).build(), Role.SERVER));
    }

    @Test
    void aLargeFrameCountsTheBytesReadSoFarUntilItIsComplete() {
        streamFramesOver16KiB();
        byte[] frame = client(BINARY, new byte[40_000]); // 8 header bytes, passed on in pieces
        read(frame, 0, 10_008);
        assertEquals(10_000, budget.used());
        read(frame, 10_008, 30_008);
        assertEquals(30_000, budget.used());
        read(frame, 30_008, frame.length);
        assertEquals(0, budget.used());
        expectMessage(2, 40_000);
    }

    @Test
    void aSmallStraddlingFrameCountsItsWholeBuffer() {
        byte[] frame = client(BINARY, new byte[1000]);
        read(frame, 0, 18);
        assertEquals(1000, budget.used(), "the buffer of the frame's size is allocated at once");
        read(frame, 18, frame.length);
        assertEquals(0, budget.used());
        expectMessage(2, 1000);
    }

    @Test
    void aStraddlingFrameOver64KiBCountsItsBufferWhichIsWholeOnceA16thArrived() {
        byte[] frame = client(BINARY, new byte[300_000]); // 14 header bytes, passed on whole
        read(frame, 0, 14 + 10_000);
        assertEquals(FrameDecoder.EAGER_BUFFER_MAX, budget.used(), "a header does not set aside 300 KB");
        read(frame, 14 + 10_000, 14 + 15_000);
        assertEquals(FrameDecoder.EAGER_BUFFER_MAX, budget.used(), "room left");
        read(frame, 14 + 15_000, 14 + 70_000);
        assertEquals(300_000, budget.used(), "a 16th arrived: the whole frame's buffer");
        read(frame, 14 + 70_000, frame.length);
        assertEquals(0, budget.used());
        expectMessage(2, 300_000);
    }

    @Test
    void aFragmentedMessageCountsItsFramesUntilTheFinalOne() {
        byte[] first = client(BINARY_FIRST, new byte[300]);
        byte[] ping = client(PING, new byte[5]);
        byte[] last = client(CONTINUATION_LAST, new byte[200]);
        read(first, 0, first.length);
        assertEquals(300, budget.used());
        read(ping, 0, ping.length);
        assertEquals(300, budget.used(), "a control frame in between changes nothing");
        ((WebSocketFrame) channel.readInbound()).release();
        read(last, 0, 100);
        assertEquals(500, budget.used(), "the last frame's buffer of 200 bytes is allocated at once");
        read(last, 100, last.length);
        assertEquals(0, budget.used());
        expectMessage(2, 500);
        assertNull(channel.readInbound());
    }

    @Test
    void anUnfinishedMessageIsReleasedWhenTheConnectionEnds() {
        streamFramesOver16KiB();
        byte[] frame = client(BINARY, new byte[40_000]);
        read(frame, 0, 20_008);
        assertEquals(20_000, budget.used());
        channel.close();
        assertEquals(0, budget.used());
    }

    @Test
    void aConnectionPausedByTheBudgetStopsReadingAndItsDeadlineClosesItWith1013() {
        InboundMemoryBudget small = InboundMemoryBudget.of(100_000, 20_000, 10_000);
        EmbeddedChannel paused = new EmbeddedChannel();
        paused.freezeTime();
        List<Throwable> errors = new ArrayList<>();
        WebSocketPipeline.useInboundMemoryBudget(paused.pipeline(), small);
        paused.pipeline().addLast(
                new FrameDecoder(WebSocketConfig.builder().frameTimeout(Duration.ofSeconds(1))
                        .streamingThreshold(16 * 1024).build(), Role.SERVER),
                new MessageAggregator(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        errors.add(cause);
                    }
                });
        byte[] frame = client(BINARY, new byte[40_000]);
        paused.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(frame, 0, 30_008)));
        assertEquals(30_000, small.used());
        assertFalse(paused.config().isAutoRead(), "over the high-water mark and holding its fair share: paused");
        paused.advanceTimeBy(1, TimeUnit.SECONDS);
        paused.runScheduledPendingTasks();
        assertEquals(1, errors.size());
        TryAgainLaterException e = assertInstanceOf(TryAgainLaterException.class, errors.get(0));
        assertEquals(1013, e.closeCode());
        assertEquals("server busy; frame not complete within 1 s while reading was paused", e.getMessage());
        assertFalse(paused.finishAndReleaseAll());
        assertEquals(0, small.used());
    }
}
