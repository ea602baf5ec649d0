package dev.wsnetty.examples.readme;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.ClientProxy;
import dev.wsnetty.netty.client.Disconnection;
import dev.wsnetty.netty.client.ReconnectListener;
import dev.wsnetty.netty.client.ReconnectPolicy;
import dev.wsnetty.netty.client.ReconnectingClient;
import dev.wsnetty.netty.client.ReconnectingCommunicator;
import dev.wsnetty.netty.client.RedirectPolicy;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.handshake.HandlerRouter;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.stats.StatisticsSnapshot;
import dev.wsnetty.netty.topics.SlowSubscriberAction;
import dev.wsnetty.netty.topics.TopicsConfig;
import dev.wsnetty.redis.RedisBridgeConfig;
import dev.wsnetty.redis.RedisTopicsBridge;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * The code the README shows, kept here so that it compiles with every build and runs in
 * {@code ReadmeSnippetsTest}. The README quotes the lines between {@code // tag::NAME[]} and
 * {@code // end::NAME[]} verbatim (indentation removed); the test checks that it still does.
 */
public final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    // tag::handler[]
    /** Echoes every text message back, on a thread of its own per connection. */
    public static class EchoHandler extends ThreadedWebSocketHandler {
        @Override
        protected void doHandleCommunication(Communicator communicator) {
            StringMessage message;
            while ((message = communicator.waitForStringMessage()) != null) { // null once closed
                communicator.writeStringMessage(message.data());
            }
        }
    }
    // end::handler[]

    /**
     * A server echoing on {@code port} (0 for any free one), listening when this returns; stop it with
     * {@link WebSocketServer#stop()}.
     */
    public static WebSocketServer echoServer(int port) {
        // tag::server[]
        WebSocketServer server = new WebSocketServer(port);
        server.registerHandler("*", "*", new EchoHandler(), true, true); // any host, any path
        server.bind();    // listens and returns; server.start() would block until server.stop()
        // end::server[]
        return server;
    }

    /** Sends "hello" to the server at {@code url} and returns its first text answer (null if none in 5 s). */
    public static String sayHello(String url) throws IOException {
        // tag::client[]
        WebSocketClient client = new WebSocketClient(URI.create(url)); // e.g. "ws://localhost:8080/"
        Communicator connection = client.connect();                   // null if the server refused
        connection.writeStringMessage("hello");
        StringMessage answer = connection.waitForStringMessage(Duration.ofSeconds(5));
        connection.close();                                           // 1000, normal closure
        // end::client[]
        return answer == null ? null : answer.data();
    }

    /** A client for {@code url} through an HTTP proxy with basic authentication, as the README shows. */
    public static WebSocketClient proxiedClient(String url, String password) {
        // tag::client-proxy[]
        WebSocketClient client = WebSocketClient.of(url);           // ws:// or wss://: TLS runs inside the tunnel
        client.setProxy(ClientProxy.http("proxy.example.com", 3128) // HTTP CONNECT; ClientProxy.socks5(...) for SOCKS5
                .withCredentials("alice", password));               // Proxy-Authorization: Basic, with the CONNECT
        // end::client-proxy[]
        return client;
    }

    /** Connects to {@code url}, following up to 5 redirects of the upgrade request. */
    public static Communicator connectFollowingRedirects(String url) throws IOException {
        // tag::client-redirects[]
        WebSocketClient client = WebSocketClient.of(url);
        client.setRedirectPolicy(RedirectPolicy.follow()); // 301, 302, 303, 307, 308: up to 5, never wss -> ws
        Communicator connection = client.connectOrThrow(); // the last server's connection
        // end::client-redirects[]
        return connection;
    }

    /** A connection to {@code url} that stays open across outages, subscribing to "prices" on each connection. */
    public static ReconnectingCommunicator stayConnected(String url) {
        // tag::client-reconnect[]
        ReconnectingClient feed = new ReconnectingClient(WebSocketClient.of(url), ReconnectPolicy.builder()
                .initialDelay(Duration.ofSeconds(1))      // then 2 s, 4 s ..., each up to 20% shorter (jitter)
                .maxDelay(Duration.ofSeconds(30))         // the cap
                .stopOnHandshakeStatuses(400, 499)        // a refusal that trying again will not change
                .stopOnCloseCodes(1008)                   // the server's policy said no
                .build());
        feed.setHook((connection, n) -> connection.writeStringMessage("subscribe prices")); // every connection
        feed.setListener(new ReconnectListener() {
            @Override
            public void onReconnectScheduled(Disconnection reason, int attempt, Duration delay) {
                System.out.println(reason.describe() + "; attempt " + attempt + " in " + delay.toMillis() + " ms");
            }
        });
        ReconnectingCommunicator prices = feed.start();   // connects in the background; close() stops it
        // end::client-reconnect[]
        return prices;
    }

    /** {@code server} with limits and keep-alive set as the README shows; call before binding. */
    public static void configure(WebSocketServer server) {
        // tag::config[]
        server.setConfig(WebSocketConfig.builder()
                .maxMessageSize(4 << 20)                 // default 1 MiB; larger messages close with 1009
                .idleTimeout(Duration.ofMinutes(10))     // default off; close with 1001 when silent that long
                .pingInterval(Duration.ofSeconds(30))    // default off; keep-alive pings when quiet...
                .pongTimeout(Duration.ofSeconds(10))     // ...closing with 1011 if the pong is late
                .build());
        // end::config[]
    }

    /**
     * A plain Netty server that echoes through the WebSocket handlers dropped into its own pipeline, with no
     * blocking API: the handshake handler, then, once upgraded, whole messages as {@link WebSocketFrame}s.
     *
     * @return the listening channel; to stop, close it and shut down its event loop group
     *         ({@code listening.eventLoop().parent()})
     */
    public static Channel pipelineEchoServer(int port) {
        // tag::pipeline[]
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()); // yours to shut down
        HandlerRouter<WebSocketEndpoint> routes = new HandlerRouter<>();
        WebSocketEndpoint echo = (channel, request, subprotocol) -> // called on the event loop after the 101
                channel.pipeline().addLast(new MessageAggregator(), new FrameEcho());
        routes.register("*", "/echo", echo, true, false);          // any host, path /echo only
        ServerHandshakeConfig handshake = ServerHandshakeConfig.builder(routes).config(WebSocketConfig.DEFAULT).build();

        Channel listening = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // HTTP codec + handshake handler; on 101 they make way for the frame handlers
                        WebSocketPipeline.addServerHandshake(ch.pipeline(), handshake.config(),
                                new ServerHandshakeHandler(handshake));
                    }
                })
                .bind(port).syncUninterruptibly().channel();
        // end::pipeline[]
        return listening;
    }

    // tag::frame-handler[]
    /** Receives whole messages as frames after the protocol handler (which answers pings and closes). */
    static final class FrameEcho extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame.isText() || frame.isBinary()) {
                ctx.writeAndFlush(frame.retain()); // the same message back; the encoder frames it
            }
        }
    }
    // end::frame-handler[]

    // tag::topics-handler[]
    /** A chat room: each member's messages go to every member, encoded once, never waiting for a slow one. */
    public static class RoomHandler extends ThreadedWebSocketHandler {
        @Override
        protected void doHandleCommunication(Communicator communicator) {
            communicator.subscribe("room");                            // until unsubscribe() or the close
            StringMessage message;
            while ((message = communicator.waitForStringMessage()) != null) {
                communicator.topics().publish("room", message.data()); // returns at once
            }
        }
    }
    // end::topics-handler[]

    /** A server with the chat room on every path, its slow-subscriber policy set as the README shows. */
    public static WebSocketServer roomServer(int port) {
        WebSocketServer server = new WebSocketServer(port);
        server.registerHandler("*", "*", new RoomHandler(), true, true);
        // tag::topics-config[]
        server.topics().setConfig(TopicsConfig.builder()
                .maxQueuedBytes(256 << 10)                        // default 1 MiB waiting per connection, then...
                .slowSubscriberAction(SlowSubscriberAction.DROP)  // ...skip it (default CLOSE with 1013)
                .build());
        // end::topics-config[]
        server.bind();
        return server;
    }

    /** Tells every connection of {@code server}, subscribed or not. */
    public static void announce(WebSocketServer server) {
        // tag::topics-all[]
        server.topics().publishToAll("maintenance in 5 minutes"); // every connection of the server
        // end::topics-all[]
    }

    /** Makes {@code server}'s topics shared with every server bridged to the Redis at {@code redisUri}. */
    public static RedisTopicsBridge joinCluster(WebSocketServer server, String redisUri) {
        // tag::topics-redis[]
        RedisTopicsBridge bridge = RedisTopicsBridge.start(server.topics(), // before clients subscribe
                RedisBridgeConfig.builder(redisUri).build());           // e.g. "redis://127.0.0.1:6379"
        // end::topics-redis[]
        return bridge;
    }

    /** A line of {@code server}'s figures, as the README's "Metrics" reads them. */
    public static String figures(WebSocketServer server) {
        // tag::statistics[]
        StatisticsSnapshot s = server.statistics().snapshot();  // dev.wsnetty.netty.stats
        String line = s.connectionsOpen() + " open, " + s.messagesIn() + " in, refused: " + s.handshakesRefused();
        // end::statistics[]
        return line;
    }
}
