package dev.wsnetty.netty.codec;

import dev.wsnetty.netty.testing.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs of small frames in the per-thread arena, seen through encoders on a pooled allocator. */
class FrameBuffersTest {
    private final PooledByteBufAllocator pooled = new PooledByteBufAllocator(true);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    private EmbeddedChannel encoder() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(pooled);
        ch.pipeline().addLast("encoder", new FrameEncoder(Role.SERVER));
        channels.add(ch);
        return ch;
    }

    @AfterEach
    void nothingLeftBehind() {
        for (EmbeddedChannel ch : channels) {
            assertFalse(ch.finishAndReleaseAll(), "every output was read by the test");
        }
    }

    private static WebSocketFrame binary(byte[] payload) {
        return WebSocketFrame.binary(Unpooled.wrappedBuffer(payload));
    }

    private static byte[] payload(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    /** The buffers written so far, each as bytes; the buffers are released. */
    private static List<byte[]> buffers(EmbeddedChannel ch) {
        List<byte[]> all = new ArrayList<>();
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) msg;
            all.add(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return all;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] frame(byte[] payload) {
        return Frames.frame(0x82, payload, false, 0);
    }

    @Test
    void framesWrittenWithVoidPromisesGoOutAsOneBufferAtTheFlush() {
        EmbeddedChannel ch = encoder();
        byte[] a = payload(20, 1);
        byte[] b = payload(125, 2);
        byte[] c = payload(1024, 3);
        ch.write(binary(a), ch.voidPromise());
        ch.write(binary(b), ch.voidPromise());
        ch.write(binary(c), ch.voidPromise());
        ch.flush();
        List<byte[]> out = buffers(ch);
        assertEquals(1, out.size(), "one buffer for the three frames");
        assertArrayEquals(concat(List.of(frame(a), frame(b), frame(c))), out.get(0));
    }

    @Test
    void aFrameWhoseWriterWaitsForTheOutcomeEndsTheRunWithItsPromise() {
        EmbeddedChannel ch = encoder();
        byte[] a = payload(10, 1);
        byte[] b = payload(11, 2);
        byte[] c = payload(12, 3);
        ch.write(binary(a), ch.voidPromise());
        ChannelFuture second = ch.write(binary(b));
        ch.write(binary(c), ch.voidPromise());
        ch.flush();
        assertTrue(second.isSuccess(), "completed with the write of the run it ended");
        List<byte[]> out = buffers(ch);
        assertEquals(2, out.size());
        assertArrayEquals(concat(List.of(frame(a), frame(b))), out.get(0));
        assertArrayEquals(frame(c), out.get(1));
    }

    @Test
    void anotherChannelWritingOnTheSameThreadEndsTheRun() {
        EmbeddedChannel first = encoder();
        EmbeddedChannel second = encoder();
        byte[] a = payload(30, 1);
        byte[] b = payload(40, 2);
        byte[] c = payload(50, 3);
        first.write(binary(a), first.voidPromise());
        second.write(binary(b), second.voidPromise());
        first.write(binary(c), first.voidPromise());
        second.flush();
        first.flush();
        assertArrayEquals(frame(b), concat(buffers(second)));
        List<byte[]> firstOut = buffers(first);
        assertEquals(2, firstOut.size(), "the run was ended when the other channel wrote");
        assertArrayEquals(concat(List.of(frame(a), frame(c))), concat(firstOut));
    }

    @Test
    void aFullArenaEndsTheRunAndTheNextStartsInANewOne() {
        EmbeddedChannel ch = encoder();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] p = payload(1000, i); // 1,004 bytes a frame: 40 of them fill more than two 16 KiB arenas
            expected.add(frame(p));
            ch.write(binary(p), ch.voidPromise());
        }
        ch.flush();
        List<byte[]> out = buffers(ch);
        assertEquals(3, out.size());
        assertArrayEquals(concat(expected), concat(out));
    }

    @Test
    void largeFramesAndOtherMessagesKeepTheirPlace() {
        EmbeddedChannel ch = encoder();
        byte[] small = payload(5, 1);
        byte[] large = payload(5000, 2);
        ch.write(binary(small), ch.voidPromise());
        ch.write(binary(large), ch.voidPromise());
        ch.write(Unpooled.wrappedBuffer(new byte[] {42}), ch.voidPromise());
        ch.write(binary(small), ch.voidPromise());
        ch.flush();
        byte[] expected = concat(List.of(frame(small), frame(large), new byte[] {42}, frame(small)));
        assertArrayEquals(expected, concat(buffers(ch)));
    }

    @Test
    void removingTheEncoderHandsOnItsRun() {
        EmbeddedChannel ch = encoder();
        byte[] a = payload(7, 1);
        ch.write(binary(a), ch.voidPromise());
        ch.pipeline().remove("encoder");
        ch.flush();
        assertArrayEquals(frame(a), concat(buffers(ch)));
    }

    @Test
    void closingTheChannelHandsOnTheRunBeforeThePipelineIsGone() {
        EmbeddedChannel ch = encoder();
        List<byte[]> reachedTheSocketSide = new ArrayList<>();
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                reachedTheSocketSide.add(ByteBufUtil.getBytes((ByteBuf) msg));
                ctx.write(msg, promise); // the closed channel releases it
            }
        });
        byte[] a = payload(9, 1);
        ch.write(binary(a), ch.voidPromise());
        assertEquals(List.of(), reachedTheSocketSide, "held in the run until a flush");
        ch.close(); // the pipeline is torn down: the encoder's removal hands the run on
        assertEquals(1, reachedTheSocketSide.size());
        assertArrayEquals(frame(a), reachedTheSocketSide.get(0));
        assertNull(ch.readOutbound(), "nothing was flushed to the socket");
    }
}
