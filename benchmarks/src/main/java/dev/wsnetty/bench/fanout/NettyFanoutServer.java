package dev.wsnetty.bench.fanout;

import dev.wsnetty.bench.Transports;
import dev.wsnetty.bench.server.BenchServer;
import dev.wsnetty.netty.WebSocketConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;

/**
 * The baseline fan-out: Netty's built-in WebSocket support ({@link WebSocketServerProtocolHandler}), subscribers
 * in a {@link ChannelGroup}, and each message of the publisher (the connection to {@code /pub}) re-sent with
 * {@code group.writeAndFlush(frame)}, the idiomatic Netty way. One event loop thread, like the other servers.
 *
 * <p>The time of each {@code writeAndFlush} on the event loop (which is the whole fan-out here: the group writes
 * and flushes every channel in the call) is recorded after {@code --warmup S} seconds and printed as a
 * {@code PUBLISH_COST} line when the publisher disconnects.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.fanout.NettyFanoutServer 8080 8081 --warmup 5</pre>
 */
public final class NettyFanoutServer {
    private NettyFanoutServer() {
    }

    /** Serves on {@code args[0]} until killed; {@code args[1]} is the control port; {@code --warmup S}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        BenchServer server = start(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                PublishCost.warmupOption(args));
        System.out.println("NettyFanoutServer listening on 127.0.0.1:" + server.port() + " (" + Transports.name()
                + "), control port " + server.controlPort());
        Thread.currentThread().join(); // serves until the process is killed
    }

    /**
     * Starts the server on loopback and returns it listening.
     *
     * @param port the port, 0 for any free one
     * @param controlPort the control port, 0 for any free one
     * @param warmupNanos how long after the publisher connects its group writes are not timed
     */
    public static BenchServer start(int port, int controlPort, long warmupNanos) throws IOException {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(WebSocketConfig.DEFAULT.maxFrameSize())
                        .build())
                .build();
        ChannelGroup subscribers = new DefaultChannelGroup("subscribers", GlobalEventExecutor.INSTANCE);
        NettyFanoutHandler fanout = new NettyFanoutHandler(subscribers, new PublishCost(warmupNanos));
        return BenchServer.start(port, controlPort, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast("aggregator", new HttpObjectAggregator(8192))
                        .addLast("websocket", new WebSocketServerProtocolHandler(config))
                        .addLast("fanout", fanout);
            }
        });
    }
}
