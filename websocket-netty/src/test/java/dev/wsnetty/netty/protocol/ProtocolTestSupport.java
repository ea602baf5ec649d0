package dev.wsnetty.netty.protocol;

import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small handlers and helpers shared by the protocol package tests. */
final class ProtocolTestSupport {
    private ProtocolTestSupport() {
    }

    /** A payload from the default (leak-tracked) allocator; Unpooled heap buffers are not tracked. */
    static ByteBuf buf(String s) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(s.length());
        b.writeCharSequence(s, StandardCharsets.UTF_8);
        return b;
    }

    /** Drains the frames written to the channel (the caller releases them). */
    static List<WebSocketFrame> written(EmbeddedChannel ch) {
        List<WebSocketFrame> frames = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            frames.add((WebSocketFrame) o);
        }
        return frames;
    }

    /** Drains what reached the end of the pipeline (the caller releases it). */
    static List<WebSocketFrame> received(EmbeddedChannel ch) {
        List<WebSocketFrame> frames = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            frames.add((WebSocketFrame) o);
        }
        return frames;
    }

    static void releaseAll(List<WebSocketFrame> frames) {
        for (WebSocketFrame f : frames) {
            f.release();
        }
    }

    /**
     * Records close events and exceptions at the user's place in the pipeline, each in an {@link EventRecorder}:
     * the test takes what it expects, and {@link #assertExhausted()} fails it for anything left over.
     */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final EventRecorder<WebSocketCloseEvent> closeEvents = new EventRecorder<>("close event");
        final EventRecorder<Throwable> exceptions = new EventRecorder<>("exception");

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketCloseEvent) {
                closeEvents.record((WebSocketCloseEvent) evt);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.record(cause);
        }

        /** Fails the test when a close event or exception was recorded and not taken. */
        void assertExhausted() {
            closeEvents.assertExhausted();
            exceptions.assertExhausted();
        }
    }

    /** Counts flushes on their way to the transport. */
    static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    /** Holds writes (as a socket that the peer does not read would) until {@link #release()}. */
    static final class WriteHold extends ChannelOutboundHandlerAdapter {
        private final List<Object> messages = new ArrayList<>();
        private final List<ChannelPromise> promises = new ArrayList<>();
        private ChannelHandlerContext ctx;
        private boolean holding = true;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (holding) {
                messages.add(msg);
                promises.add(promise);
            } else {
                ctx.write(msg, promise);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!holding) {
                ctx.flush();
            }
        }

        int held() {
            return messages.size();
        }

        void release() {
            holding = false;
            for (int i = 0; i < messages.size(); i++) {
                ctx.write(messages.get(i), promises.get(i));
            }
            messages.clear();
            promises.clear();
            ctx.flush();
        }
    }
}
