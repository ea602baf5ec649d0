package dev.wsnetty.netty.internal.tls;

import dev.wsnetty.internal.Log;
import dev.wsnetty.netty.internal.ServerLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sits in front of the server's {@code SslHandler} until the first bytes arrive. If they start a TLS record it
 * steps aside (the bytes go on to the {@code SslHandler}); if not, the peer is a plain HTTP or {@code ws://}
 * client on a TLS port: it gets a plain-text {@code 400 TLS Required} saying so (a client sees why instead of a
 * dropped connection), one INFO log line is written (rate-limited: at most one such line per log interval),
 * and the connection is closed.
 */
public final class PlaintextRejector extends ByteToMessageDecoder {
    private static final Log LOG = Log.of(PlaintextRejector.class);
    /** A TLS record header: content type, version, length; enough to tell TLS from anything else. */
    private static final int RECORD_HEADER = 5;
    private static final byte[] RESPONSE;

    static {
        String body = "This port speaks TLS: connect with wss:// (or https://).\n";
        RESPONSE = ("HTTP/1.1 400 TLS Required\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n"
                + "\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    private boolean rejected;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            // Removing a decoder hands its buffered bytes to the next handler, the SslHandler.
            ctx.pipeline().remove(this);
            return;
        }
        rejected = true;
        in.skipBytes(in.readableBytes());
        ServerLog.of(ctx.channel()).info(LOG, "tls-plaintext", () -> "TLS port got plain text (not a TLS handshake)"
                + " from " + ctx.channel().remoteAddress() + ": answered 400 TLS Required and closed");
        // From this context the response and the close go straight to the socket, past the SslHandler.
        ctx.writeAndFlush(ctx.alloc().buffer(RESPONSE.length).writeBytes(RESPONSE))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
