package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.WebSocketConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Sets up the server side of the handshake in a pipeline: Netty's HTTP codec with the handshake limits,
 * then an {@link UpgradeHandler}. Behind TLS, add the {@code SslHandler} first. With HTTP fallback, add
 * the HTTP handler after these two:
 * <pre>{@code
 * ServerUpgrade.install(ch.pipeline(), settings);
 * ch.pipeline().addLast("page", new MyPageHandler());
 * }</pre>
 */
public final class ServerUpgrade {
    /** Pipeline name of the HTTP codec (gone after the upgrade). */
    public static final String HTTP_CODEC = "http-codec";
    /** Pipeline name of the {@link UpgradeHandler} (gone after the upgrade). */
    public static final String UPGRADE = "ws-upgrade";

    private ServerUpgrade() {
    }

    /**
     * Adds {@link #HTTP_CODEC} and {@link #UPGRADE} at the end of {@code pipeline}.
     *
     * @return the pipeline, for chaining
     */
    public static ChannelPipeline install(ChannelPipeline pipeline, UpgradeSettings settings) {
        pipeline.addLast(HTTP_CODEC, newHttpCodec(settings.config()));
        pipeline.addLast(UPGRADE, new UpgradeHandler(settings));
        return pipeline;
    }

    /**
     * An HTTP server codec whose request line and header limits are the handshake's, so that an oversized
     * request is reported to the {@link UpgradeHandler} (414, 431) instead of being buffered.
     */
    public static HttpServerCodec newHttpCodec(WebSocketConfig config) {
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxHandshakeLineLength())
                .setMaxHeaderSize(config.maxHandshakeHeaderSize()));
    }
}
