package dev.wsnetty.bench.server;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.tls.TlsServerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * Ours on the plain pipeline: our HTTP upgrade ({@link WebSocketPipeline#addServerHandshake}), then our {@code FrameDecoder},
 * {@code FrameEncoder} and {@code ProtocolHandler} and an echo handler, with the library's defaults
 * ({@link WebSocketConfig#DEFAULT}: frames up to the 1 MiB limit are passed on, and echoed, whole, like
 * {@link NettyEchoServer}, which has the same frame size limit). Accepts the upgrade on any host and path.
 * permessage-deflate as {@link BenchCompression} says (off unless asked).
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.server.WsnettyEchoServer 8080</pre>
 */
public final class WsnettyEchoServer {
    private WsnettyEchoServer() {
    }

    /**
     * Serves on {@code args[0]} (default 8080) until killed; {@code args[1]} is the control port; {@code --tls}
     * or {@code --tls-cert F --tls-key F} add TLS (see {@link BenchServer}).
     */
    public static void main(String[] args) throws Exception {
        BenchServer.run("WsnettyEchoServer", args, WsnettyEchoServer::initializer);
    }

    /** The per-connection pipeline, plain ws. */
    public static ChannelHandler initializer() {
        return initializer(null);
    }

    /** The per-connection pipeline, behind TLS when {@code tls} is not null. */
    public static ChannelHandler initializer(TlsServerConfig tls) {
        FrameEchoHandler echo = new FrameEchoHandler();
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("*", "*", (channel, request, subprotocol) -> channel.pipeline().addLast("echo", echo), true, true);
        WebSocketConfig config = WebSocketConfig.DEFAULT.toBuilder()
                .compression(BenchCompression.ours()).build();
        ServerHandshakeConfig settings = ServerHandshakeConfig.builder(router).config(config).build();
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                BenchTls.install(ch.pipeline(), tls);
                WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
            }
        };
    }
}
