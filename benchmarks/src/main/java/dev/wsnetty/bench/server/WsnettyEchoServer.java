package dev.wsnetty.bench.server;

import dev.wsnetty.netty.WebSocketConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Ours on the plain pipeline: HTTP upgrade, then our {@code FrameDecoder}, {@code FrameEncoder} and
 * {@code ProtocolHandler} (installed by {@code WebSocketHandlers}) and an echo handler. Same limits as
 * {@link NettyEchoServer} ({@link WebSocketConfig#DEFAULT}). Accepts the upgrade on any path.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.server.WsnettyEchoServer 8080</pre>
 */
public final class WsnettyEchoServer {
    static final String AGGREGATOR = "aggregator";

    private WsnettyEchoServer() {
    }

    /** Serves on {@code args[0]} (default 8080) until killed; {@code args[1]} is the control port. */
    public static void main(String[] args) throws Exception {
        BenchServer.run("WsnettyEchoServer", args, initializer());
    }

    /** The per-connection pipeline. */
    public static ChannelHandler initializer() {
        WebSocketConfig config = WebSocketConfig.DEFAULT;
        FrameEchoHandler echo = new FrameEchoHandler();
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // The upgrade is the stand-in until our UpgradeHandler is merged; see InterimUpgradeHandler.
                ch.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast(AGGREGATOR, new HttpObjectAggregator(8192))
                        .addLast("upgrade", new InterimUpgradeHandler(config, "echo", echo));
            }
        };
    }
}
