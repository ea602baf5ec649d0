package dev.wsnetty.netty.internal.tls;

import dev.wsnetty.internal.Log;
import dev.wsnetty.netty.internal.ServerLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.nio.channels.ClosedChannelException;

/**
 * Follows the server's TLS handler until its handshake ends. On success it removes itself. On failure (an
 * untrusted or mismatched certificate refused by the client, a handshake timeout, a malformed hello) it logs one
 * INFO line naming the peer and the reason (rate-limited: at most one such line per log interval, the next one
 * counting those left out, so thousands of failing peers cannot flood the log), closes the connection, and swallows the exceptions that follow for
 * the same failure, so one bad handshake is one log line, not a stack trace per handler. A peer that closes
 * before finishing (a port probe, a health check) is logged at DEBUG only.
 */
public final class TlsFailureLogger extends ChannelInboundHandlerAdapter {
    private static final Log LOG = Log.of(TlsFailureLogger.class);

    private boolean failed;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                fail(ctx, done.cause());
            }
        } else if (evt instanceof SniCompletionEvent && !((SniCompletionEvent) evt).isSuccess()) {
            fail(ctx, ((SniCompletionEvent) evt).cause());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Before the handshake completes only TLS and the socket can fail; either way the connection is done.
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (!failed) {
            failed = true;
            boolean probe = cause instanceof ClosedChannelException;
            // Own keys, so that enabled DEBUG lines never take the window of the INFO ones.
            ServerLog.of(ctx.channel()).log(LOG, probe ? Log.Level.DEBUG : Log.Level.INFO,
                    probe ? "tls-handshake-closed" : "tls-handshake", () -> "TLS handshake with "
                    + ctx.channel().remoteAddress() + " failed: " + TlsFailures.describeForServer(cause));
        }
        ctx.close();
    }
}
