package dev.wsnetty.netty.internal;

import dev.wsnetty.internal.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Where a connection's handlers find their server's {@link RateLimitedLog}: {@code WebSocketServer} puts its own
 * (with its configured interval) on every accepted TLS channel, whose handlers are the ones that read it (an
 * attribute on every channel would cost each idle connection 48 bytes); other channels, and those of the pipeline
 * API, share {@link RateLimitedLog#shared()}.
 */
public final class ServerLog {
    /** The channel attribute holding the server's log. */
    public static final AttributeKey<RateLimitedLog> KEY = AttributeKey.valueOf(ServerLog.class, "log");

    private ServerLog() {
    }

    /** The log of {@code channel}'s server, or the shared one. */
    public static RateLimitedLog of(Channel channel) {
        // hasAttr first: attr() would add an empty attribute to the channel.
        RateLimitedLog log = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
        return log != null ? log : RateLimitedLog.shared();
    }
}
