package dev.wsnetty.bench.server;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import dev.wsnetty.netty.tls.ServerTlsContexts;
import dev.wsnetty.netty.tls.TlsServerConfig;
import io.netty.channel.ChannelPipeline;

import java.io.IOException;
import java.nio.file.Path;

/**
 * TLS for the echo servers, the same for ours and Netty's: {@link TlsServerConfig#install} puts the
 * {@code SslHandler} (OpenSSL when it loads) first in the pipeline; its guard and failure logger remove
 * themselves once the handshake is done, so while messages flow both pipelines carry the same SslHandler.
 */
public final class BenchTls {
    private BenchTls() {
    }

    /**
     * The server TLS configuration the options ask for: {@code --tls-cert F --tls-key F} (PEM files, e.g. from
     * {@link TlsFiles}), {@code --tls} (a self-signed certificate made now), or null (plain ws).
     */
    static TlsServerConfig fromOptions(boolean selfSigned, Path certificate, Path key) throws IOException {
        if (certificate != null || key != null) {
            if (certificate == null || key == null) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            return TlsServerConfig.of(ServerTlsContexts.fromPem(certificate, key));
        }
        return selfSigned ? TlsServerConfig.of(SelfSignedCertificates.localhost().serverContext()) : null;
    }

    /** Adds TLS in front of a new connection's pipeline when {@code tls} is not null. */
    static void install(ChannelPipeline pipeline, TlsServerConfig tls) {
        if (tls != null) {
            WebSocketPipeline.addServerTls(pipeline, tls, WebSocketConfig.DEFAULT.handshakeTimeout());
        }
    }
}
