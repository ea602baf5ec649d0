package dev.wsnetty.bench.fanout;

import dev.wsnetty.bench.server.ServerControl;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.redis.RedisBridgeConfig;
import dev.wsnetty.redis.RedisTopicsBridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cross-node fan-out: three {@link WsnettyFanoutServer}s in one JVM (nodes A, B, C, one event loop thread each),
 * each bridged to one Redis ({@link RedisTopicsBridge}). The publisher connects to node A; the load generator
 * spreads the subscribers over the three ({@code --subscriber-ports}), so a third of them are served locally by A
 * and two thirds through Redis. Node A listens on the given port, B and C on the two ports after the control port.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.fanout.WsnettyClusterFanoutServer 8080 8081 --warmup 5 \
 *     --redis redis://127.0.0.1:6379</pre>
 */
public final class WsnettyClusterFanoutServer {
    private WsnettyClusterFanoutServer() {
    }

    /** Serves on {@code args[0]}, {@code args[1] + 1}, {@code args[1] + 2} until killed; {@code --redis URI}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        int port = Integer.parseInt(args[0]);
        int controlPort = Integer.parseInt(args[1]);
        String redis = option(args, "--redis");
        long warmup = PublishCost.warmupOption(args);
        RedisBridgeConfig config = RedisBridgeConfig.builder(redis).build();
        try (ServerControl control = ServerControl.start(controlPort)) {
            List<WebSocketServer> nodes = new ArrayList<>();
            List<RedisTopicsBridge> bridges = new ArrayList<>();
            int[] ports = {port, controlPort + 1, controlPort + 2};
            for (int p : ports) {
                WebSocketServer node = WsnettyFanoutServer.start(p, warmup);
                bridges.add(RedisTopicsBridge.start(node.topics(), config));
                nodes.add(node);
            }
            System.out.println("WsnettyClusterFanoutServer: nodes on 127.0.0.1:" + nodes.get(0).port() + ","
                    + nodes.get(1).port() + "," + nodes.get(2).port() + " via " + redis + "; listening, control port "
                    + control.port());
            nodes.get(0).start();
        }
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new IllegalArgumentException(name + " URI is required");
    }
}
