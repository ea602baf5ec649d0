package dev.wsnetty.bench.server;

import dev.wsnetty.netty.stats.WebSocketStatistics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * {@link WsnettyEchoServer} with its connections counted into a {@link WebSocketStatistics}, as a
 * {@code WebSocketServer}'s are: the same pipeline, so that the two side by side show what counting costs
 * (BENCHMARKS.md, "Metrics"). Prints the figures when the process ends, which shows they were counted.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.server.WsnettyCountingEchoServer 8080</pre>
 */
public final class WsnettyCountingEchoServer {
    private WsnettyCountingEchoServer() {
    }

    /** Serves on {@code args[0]} (default 8080) until killed; {@code args[1]} is the control port. */
    public static void main(String[] args) throws Exception {
        WebSocketStatistics statistics = new WebSocketStatistics();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("statistics: "
                + statistics.snapshot())));
        ChannelHandler echo = WsnettyEchoServer.initializer();
        BenchServer.run("WsnettyCountingEchoServer", args, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                // On the connection rather than the listener (as WebSocketServer does): one lookup per connection
                // either way, and BenchServer stays as the other servers use it.
                ch.attr(WebSocketStatistics.KEY).set(statistics);
                ch.pipeline().addLast(echo);
            }
        });
    }
}
