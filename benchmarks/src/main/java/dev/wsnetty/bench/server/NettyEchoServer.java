package dev.wsnetty.bench.server;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.tls.TlsServerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

/**
 * The baseline: an echo server on Netty's built-in WebSocket support, set up the way Netty recommends
 * ({@link WebSocketServerProtocolHandler}, which also installs its UTF-8 validator), with the same frame
 * size limit as ours. Accepts the upgrade on any path. With {@link BenchCompression}'s {@code deflate}, also its
 * {@link WebSocketServerCompressionHandler} (permessage-deflate; the decoder then allows RSV bits).
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.server.NettyEchoServer 8080</pre>
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /**
     * Serves on {@code args[0]} (default 8080) until killed; {@code args[1]} is the control port; {@code --tls}
     * or {@code --tls-cert F --tls-key F} add TLS (see {@link BenchServer}).
     */
    public static void main(String[] args) throws Exception {
        BenchServer.run("NettyEchoServer", args, NettyEchoServer::initializer);
    }

    /** The per-connection pipeline, plain ws. */
    public static ChannelHandler initializer() {
        return initializer(null);
    }

    /** The per-connection pipeline, behind TLS when {@code tls} is not null. */
    public static ChannelHandler initializer(TlsServerConfig tls) {
        boolean compress = BenchCompression.netty();
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(WebSocketConfig.DEFAULT.maxFrameSize())
                        .allowExtensions(compress)
                        .build())
                .build();
        NettyEchoHandler echo = new NettyEchoHandler();
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                BenchTls.install(ch.pipeline(), tls);
                ch.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast("aggregator", new HttpObjectAggregator(8192));
                if (compress) {
                    // Netty's default: permessage-deflate at level 6, context takeover unless the client asks.
                    ch.pipeline().addLast("compression", new WebSocketServerCompressionHandler(0));
                }
                ch.pipeline()
                        .addLast("websocket", new WebSocketServerProtocolHandler(config))
                        .addLast("echo", echo);
            }
        };
    }
}
