package dev.wsnetty.netty.adapter;

import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FrameHandoff} on a real event loop (Netty's local transport): frames written on another thread while the
 * event loop is busy go out in order with one flush; their bytes count against the high water mark until then;
 * frames handed over after the event loop is gone are released.
 */
class FrameHandoffTest {
    private final EventLoopGroup group = new DefaultEventLoopGroup(1);
    /** A frame reached the transport: its opcode, and whether its write had a void promise. */
    private record Written(int opcode, boolean voidPromise) {
    }

    @RegisterExtension
    final EventRecorder<Written> written = new EventRecorder<>("write");
    /** Set to make the channel refuse every write, as a closing one does. */
    private volatile boolean refuseWrites;
    private final AtomicInteger flushes = new AtomicInteger();
    private final AtomicInteger drains = new AtomicInteger();
    private Channel server;
    private Channel channel;

    @BeforeEach
    void connect() throws InterruptedException {
        LocalAddress address = new LocalAddress(FrameHandoffTest.class);
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // the peer just drops what arrives
                    }
                })
                .bind(address).sync().channel();
        channel = new Bootstrap().group(group).channel(LocalChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8, 100))
                .handler(new Recorder())
                .connect(address).sync().channel();
    }

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void framesFromAnotherThreadGoOutInOrderWithOneFlushAndCountUntilThen() throws InterruptedException {
        FrameHandoff handoff = new FrameHandoff(channel, ChannelFutureListener.CLOSE_ON_FAILURE, drains::incrementAndGet);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        channel.eventLoop().execute(() -> {
            busy.countDown();
            awaitUninterruptibly(release);
        });
        busy.await();

        assertTrue(handoff.hasRoom());
        handoff.write(WebSocketFrame.binary(Unpooled.wrappedBuffer(new byte[60])));
        assertTrue(handoff.hasRoom(), "60 queued bytes are below the high water mark of 100");
        handoff.write(WebSocketFrame.text(Unpooled.wrappedBuffer(new byte[60]), true));
        assertFalse(handoff.hasRoom(), "120 queued bytes are above the high water mark of 100");
        handoff.write(WebSocketFrame.emptyClose());
        written.assertExhausted(); // nothing is written while the event loop is busy

        release.countDown();
        // Void promises but for the last write, so that the encoder can write the batch as one buffer.
        written.assertNext(new Written(0x2, true), new Written(0x1, true), new Written(0x8, false));
        Await.until("the drain is reported", () -> drains.get() == 1);
        assertEquals(1, flushes.get(), "one flush for the whole batch");
        assertTrue(handoff.hasRoom());
    }

    @Test
    void aRefusedBatchIsReportedOnceThroughItsLastWrite() throws InterruptedException {
        EventRecorder<Throwable> outcomes = new EventRecorder<>("batch outcome");
        FrameHandoff handoff = new FrameHandoff(channel, f -> outcomes.record(f.cause()), drains::incrementAndGet);
        refuseWrites = true;
        CountDownLatch release = new CountDownLatch(1);
        channel.eventLoop().execute(() -> awaitUninterruptibly(release));
        handoff.write(WebSocketFrame.binary(Unpooled.wrappedBuffer(new byte[3])));
        handoff.write(WebSocketFrame.binary(Unpooled.wrappedBuffer(new byte[4])));
        release.countDown();
        Await.until("the batch is drained", () -> drains.get() == 1);
        written.assertNext(new Written(0x2, true), new Written(0x2, false));
        assertInstanceOf(IOException.class, outcomes.next());
        outcomes.assertExhausted(); // one outcome for the batch
    }

    @Test
    void framesHandedOverAfterTheEventLoopIsGoneAreReleased() {
        FrameHandoff handoff = new FrameHandoff(channel, ChannelFutureListener.CLOSE_ON_FAILURE, drains::incrementAndGet);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        WebSocketFrame first = WebSocketFrame.binary(Unpooled.buffer(4).writeInt(1));
        WebSocketFrame second = WebSocketFrame.binary(Unpooled.buffer(4).writeInt(2));
        handoff.write(first);
        handoff.write(second);
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the frames written and counts flushes; what it writes on is a frame-free local channel. */
    private final class Recorder extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            written.record(new Written(((WebSocketFrame) msg).opcode(), promise.isVoid()));
            ReferenceCountUtil.release(msg);
            if (refuseWrites) {
                promise.tryFailure(new IOException("refused"));
            } else {
                promise.trySuccess();
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    }
}
