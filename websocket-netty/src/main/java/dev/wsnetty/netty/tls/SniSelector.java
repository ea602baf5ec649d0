package dev.wsnetty.netty.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's {@link SniHandler}, except that the {@code SslHandler} it puts in its own place keeps the pipeline
 * name {@value TlsServerConfig#SSL}, as on a server without SNI.
 */
final class SniSelector extends SniHandler {
    SniSelector(Mapping<? super String, ? extends SslContext> mapping, long handshakeTimeoutMillis) {
        super(mapping, handshakeTimeoutMillis);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext context) {
        SslHandler handler = newSslHandler(context, ctx.alloc());
        try {
            ctx.pipeline().replace(this, TlsServerConfig.SSL, handler);
        } catch (RuntimeException | Error e) {
            // Engines of the reference-counted OpenSSL provider hold native memory until released.
            ReferenceCountUtil.safeRelease(handler.engine());
            throw e;
        }
    }
}
