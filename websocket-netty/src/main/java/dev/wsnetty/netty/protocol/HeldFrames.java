package dev.wsnetty.netty.protocol;

import dev.wsnetty.netty.codec.EncodedFrame;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;

import java.util.ArrayDeque;

/**
 * {@link EncodedFrame}s (topic messages) written while the application is in the middle of sending a fragmented
 * message: RFC 6455 §5.4 forbids another data frame between its fragments, so they wait here for its last frame.
 * Kept in a channel attribute made on first use, because almost no connection ever needs one.
 */
final class HeldFrames {
    private static final AttributeKey<HeldFrames> KEY = AttributeKey.valueOf(HeldFrames.class, "held");

    /** Frame, promise, frame, promise... */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();

    private HeldFrames() {
    }

    /** Holds {@code frame} until {@link #writeAll}. */
    static void hold(Channel channel, EncodedFrame frame, ChannelPromise promise) {
        HeldFrames held = channel.attr(KEY).get();
        if (held == null) {
            held = new HeldFrames();
            channel.attr(KEY).set(held);
        }
        held.queue.add(frame);
        held.queue.add(promise);
    }

    /** Writes what was held, in order, behind the message that has just ended, counting it when counted (not null). */
    static void writeAll(ChannelHandlerContext ctx, WebSocketStatistics statistics) {
        HeldFrames held = ctx.channel().attr(KEY).getAndSet(null);
        if (held != null) {
            Object frame;
            while ((frame = held.queue.poll()) != null) {
                if (statistics != null) {
                    statistics.dataSent(((EncodedFrame) frame).payloadLength(), true);
                }
                ctx.write(frame, (ChannelPromise) held.queue.poll());
            }
        }
    }

    /** Releases what was held: the connection is closing, so it can never be sent. */
    static void dropAll(Channel channel, Throwable why) {
        HeldFrames held = channel.attr(KEY).getAndSet(null);
        if (held != null) {
            Object frame;
            while ((frame = held.queue.poll()) != null) {
                ((EncodedFrame) frame).release();
                ChannelPromise promise = (ChannelPromise) held.queue.poll();
                if (!promise.isVoid()) {
                    promise.tryFailure(why);
                }
            }
        }
    }
}
