package dev.wsnetty.netty.internal.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's {@link SniHandler}, except that the {@code SslHandler} it puts in its own place keeps this handler's
 * pipeline name, as on a server without SNI.
 */
public final class SniSelector extends SniHandler {
    /**
     * @param mapping                the context for each host name the client may send (and for none)
     * @param handshakeTimeoutMillis how long to wait for the client's hello, and then for the TLS handshake
     */
    public SniSelector(Mapping<? super String, ? extends SslContext> mapping, long handshakeTimeoutMillis) {
        super(mapping, handshakeTimeoutMillis);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext context) {
        SslHandler handler = newSslHandler(context, ctx.alloc());
        try {
            ctx.pipeline().replace(this, ctx.name(), handler);
        } catch (RuntimeException | Error e) {
            // Engines of the reference-counted OpenSSL provider hold native memory until released.
            ReferenceCountUtil.safeRelease(handler.engine());
            throw e;
        }
    }
}
