package dev.wsnetty.bench.codec;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one harness both codecs are measured through, shaped like Netty's own websocket microbench: the
 * handler under test sits in an {@link EmbeddedChannel} pipeline between two sinks, and each operation
 * calls the handler directly with its real {@link ChannelHandlerContext} ({@code channelRead} +
 * {@code channelReadComplete} inbound, {@code write} with the void promise and {@code flush} outbound).
 * What the handler passes on reaches a sink that counts and releases it, so only the handler's own work and
 * one context hop are timed.
 *
 * <p>The sink keeps a reference to the last message, so the message escapes as it does in a real
 * pipeline: there the next handler is called through a call site shared by every handler, which the JIT
 * cannot inline, while here a sink inlined into the handler under test would let the JIT scalar-replace
 * (not allocate) a frame object that a handler passes on directly, but not one that goes through a list
 * first (as Netty's {@code MessageToMessageDecoder}s do), making the B/op of the two unlike.
 */
public final class HandlerHarness implements AutoCloseable {
    private final EmbeddedChannel channel;
    private final ChannelHandlerContext ctx;
    private final ChannelInboundHandler inbound;
    private final ChannelOutboundHandler outbound;
    private final Sink sink = new Sink();

    private HandlerHarness(ChannelHandler handler, ByteBufAllocator allocator, Consumer<Channel> beforeAdding) {
        channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        beforeAdding.accept(channel);
        channel.pipeline().addLast("out-sink", sink).addLast("under-test", handler).addLast("in-sink", sink);
        ctx = channel.pipeline().context(handler);
        inbound = handler instanceof ChannelInboundHandler ? (ChannelInboundHandler) handler : null;
        outbound = handler instanceof ChannelOutboundHandler ? (ChannelOutboundHandler) handler : null;
    }

    /** A harness around an inbound handler (a decoder or validator). */
    public static HandlerHarness inbound(ChannelInboundHandler handler, ByteBufAllocator allocator) {
        return new HandlerHarness(handler, allocator, channel -> { });
    }

    /** A harness around an outbound handler (an encoder). */
    public static HandlerHarness outbound(ChannelOutboundHandler handler, ByteBufAllocator allocator) {
        return new HandlerHarness(handler, allocator, channel -> { });
    }

    /**
     * A harness around a handler of both directions, the channel prepared by {@code beforeAdding} (attributes the
     * handler reads when added) before the handler is added.
     */
    public static HandlerHarness duplex(ChannelDuplexHandler handler, ByteBufAllocator allocator,
                                        Consumer<Channel> beforeAdding) {
        return new HandlerHarness(handler, allocator, beforeAdding);
    }

    /** Hands {@code msg} to the handler as one socket read would: {@code channelRead} then {@code channelReadComplete}. */
    public void read(Object msg) throws Exception {
        inbound.channelRead(ctx, msg);
        inbound.channelReadComplete(ctx);
    }

    /**
     * Hands {@code msg} to the handler as a write with the void promise, then a flush: one message per flush, as
     * when a server answers one message per read. (Our encoder writes the frames of several writes between two
     * flushes as one buffer; one frame per flush is the case where it cannot.)
     */
    public void writeAndFlush(Object msg) throws Exception {
        outbound.write(ctx, msg, channel.voidPromise());
        outbound.flush(ctx);
    }

    /** How many messages the handler has passed on so far. */
    public long messagesOut() {
        return sink.messages;
    }

    /**
     * Starts keeping what the handler passes on instead of releasing it, for checking its output once
     * outside the measurement. The caller releases what {@link #takeCaptured()} returns.
     */
    public void startCapture() {
        sink.captured = new ArrayList<>();
    }

    /** What was captured since {@link #startCapture()}; capturing stops. Throws what the pipeline caught. */
    public List<Object> takeCaptured() {
        List<Object> out = sink.captured;
        sink.captured = null;
        channel.checkException();
        return out;
    }

    /** The embedded channel, closed and emptied by {@link #close()}. */
    public EmbeddedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** Both ends of the harness: takes whatever reaches it, inbound or outbound. */
    @ChannelHandler.Sharable
    private static final class Sink extends ChannelDuplexHandler {
        long messages;
        List<Object> captured;
        /** The last message taken: it escapes, as it would into the next handler (see the class comment). */
        Object last;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            take(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // The end of the line: nothing after the sink needs to know.
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            take(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // Nothing is buffered here.
        }

        private void take(Object msg) {
            messages++;
            last = msg;
            if (captured != null) {
                captured.add(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
