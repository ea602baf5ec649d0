package dev.wsnetty.netty.server;

import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.RateLimitedLog;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * On the server channel's pipeline: when accepting a connection fails (typically the process is out of file
 * descriptors, {@code EMFILE}), stops accepting for the back-off and then tries again, instead of letting the
 * error reach the end of the pipeline (Netty's "reached the tail of the pipeline" warning with a stack trace) or
 * spinning on it. One line per log interval says what happened, "too many open files" in plain words when that
 * is the cause. Connections waiting in the backlog are accepted once descriptors are free again.
 */
@ChannelHandler.Sharable
final class AcceptFailureHandler extends ChannelInboundHandlerAdapter {
    private static final Log LOG = Log.of(AcceptFailureHandler.class);

    private final Duration backoff;
    private final RateLimitedLog log;

    AcceptFailureHandler(Duration backoff, RateLimitedLog log) {
        this.backoff = backoff;
        this.log = log;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        String message = String.valueOf(cause.getMessage());
        boolean outOfDescriptors = message.toLowerCase(Locale.ROOT).contains("too many open files");
        log.warn(LOG, "accept", () -> "Accepting a connection on " + ctx.channel().localAddress() + " failed: "
                + (outOfDescriptors ? "too many open files (the process is out of file descriptors: raise ulimit -n"
                + " or lower the number of connections)" : message) + "; pausing accepts for " + backoff.toMillis()
                + " ms");
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> {
                config.setAutoRead(true);
            }, backoff.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
