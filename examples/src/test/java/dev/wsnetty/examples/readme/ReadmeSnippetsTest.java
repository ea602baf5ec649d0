package dev.wsnetty.examples.readme;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.topics.SlowSubscriberAction;
import dev.wsnetty.redis.RedisTopicsBridge;
import dev.wsnetty.redis.testing.RedisServer;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.logging.Level;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's code runs as shown, and the README still shows it as it is here. */
class ReadmeSnippetsTest {
    private static final Path SOURCE = Path.of("src/main/java/dev/wsnetty/examples/readme/ReadmeSnippets.java");
    private static final Path README = Path.of("../README.md");
    private static final Pattern REGION = Pattern.compile(
            "// tag::([a-z-]+)\\[]\\R(.*?)^[ \\t]*// end::\\1\\[]", Pattern.DOTALL | Pattern.MULTILINE);

    @Test
    void theServerAndTheClientTalk() throws IOException {
        WebSocketServer server = ReadmeSnippets.echoServer(0);
        try {
            assertEquals("hello", ReadmeSnippets.sayHello("ws://127.0.0.1:" + server.port() + "/any/path"));
            Await.until("the README's figures line: one message in, closed",
                    () -> ReadmeSnippets.figures(server).equals("0 open, 1 in, refused: {}"));
        } finally {
            server.stop();
        }
    }

    /**
     * Clients that send one message and then Close 1000 at once: the message is delivered after the Close, and the
     * echo handler's reply fails because the connection is closing. That is a normal end: no SEVERE line (there
     * was one per client, with a stack trace and "closing it with 1011", before), and the connections end 1000.
     */
    @Test
    void clientsThatSendAndCloseAtOnceLogNoError() throws Exception {
        int clients = 200;
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        ReadmeSnippets.EchoHandler handler = new ReadmeSnippets.EchoHandler();
        server.registerHandler("*", "*", handler, true, true);
        server.bind();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (LogCapture log = new LogCapture("dev.wsnetty")) {
            WebSocketClient client = new WebSocketClient(URI.create("ws://127.0.0.1:" + server.port() + "/"));
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                codes.add(pool.submit(() -> {
                    Communicator c = client.connectOrThrow();
                    c.writeStringMessage("hello");
                    c.close(1000, "");
                    return c.awaitClose(Duration.ofSeconds(10)).code();
                }));
            }
            for (Future<Integer> code : codes) {
                assertEquals(1000, code.get(30, TimeUnit.SECONDS));
            }
            Await.until("the handlers to finish", () -> handler.connections().isEmpty());
            List<String> severe = log.messages(Level.SEVERE);
            System.out.println(clients + " clients that sent and closed at once: " + severe.size() + " SEVERE lines, "
                    + log.records(Level.FINE).size() + " FINE lines");
            assertEquals(List.of(), severe);
        } finally {
            pool.shutdownNow();
            server.stop();
        }
    }

    @Test
    void theRoomRelaysToEveryMemberAndTheAnnouncementToAll() throws IOException {
        WebSocketServer server = ReadmeSnippets.roomServer(0);
        try {
            String url = "ws://127.0.0.1:" + server.port() + "/room";
            Communicator alice = new WebSocketClient(URI.create(url)).connect();
            Communicator bob = new WebSocketClient(URI.create(url)).connect();
            Await.until("both in the room", () -> server.topics().subscriberCount("room") == 2);
            alice.writeStringMessage("hi all");
            assertEquals("hi all", alice.waitForStringMessage(Duration.ofSeconds(5)).data());
            assertEquals("hi all", bob.waitForStringMessage(Duration.ofSeconds(5)).data());
            ReadmeSnippets.announce(server);
            assertEquals("maintenance in 5 minutes", alice.waitForStringMessage(Duration.ofSeconds(5)).data());
            assertEquals("maintenance in 5 minutes", bob.waitForStringMessage(Duration.ofSeconds(5)).data());
            assertEquals(SlowSubscriberAction.DROP, server.topics().config().slowSubscriberAction());
            alice.close();
            bob.close();
        } finally {
            server.stop();
        }
    }

    @Test
    void twoRoomServersBridgedToOneRedisShareTheRoom() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            WebSocketServer first = ReadmeSnippets.roomServer(0);
            WebSocketServer second = ReadmeSnippets.roomServer(0);
            RedisTopicsBridge firstBridge = ReadmeSnippets.joinCluster(first, redis.uri());
            RedisTopicsBridge secondBridge = ReadmeSnippets.joinCluster(second, redis.uri());
            try {
                Communicator alice = new WebSocketClient(URI.create("ws://127.0.0.1:" + first.port() + "/")).connect();
                Communicator bob = new WebSocketClient(URI.create("ws://127.0.0.1:" + second.port() + "/")).connect();
                Await.until("both servers subscribed in Redis", () -> {
                    try {
                        return "wsnetty:topic:room 2".equals(redis.command("PUBSUB", "NUMSUB", "wsnetty:topic:room"));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
                alice.writeStringMessage("hi from the first server");
                assertEquals("hi from the first server", bob.waitForStringMessage(Duration.ofSeconds(5)).data());
                assertEquals("hi from the first server", alice.waitForStringMessage(Duration.ofSeconds(5)).data());
                bob.writeStringMessage("hi back");
                assertEquals("hi back", alice.waitForStringMessage(Duration.ofSeconds(5)).data(), "and only once");
                alice.close();
                bob.close();
            } finally {
                firstBridge.close();
                secondBridge.close();
                first.stop();
                second.stop();
            }
        }
    }

    @Test
    void theConfigurationIsTheServers() {
        WebSocketServer server = new WebSocketServer(0);
        try {
            ReadmeSnippets.configure(server);
            WebSocketConfig config = server.config();
            assertEquals(4 << 20, config.maxMessageSize());
            assertEquals(Duration.ofMinutes(10), config.idleTimeout());
            assertEquals(Duration.ofSeconds(30), config.pingInterval());
            assertEquals(Duration.ofSeconds(10), config.pongTimeout());
        } finally {
            server.stop();
        }
    }

    @Test
    void theHandlersWorkInAPlainNettyPipeline() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel listening = ReadmeSnippets.pipelineEchoServer(group, 0);
            int port = ((InetSocketAddress) listening.localAddress()).getPort();
            assertEquals("hello", ReadmeSnippets.sayHello("ws://127.0.0.1:" + port + "/echo"));
            listening.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void everySnippetHasARegion() throws IOException {
        assertEquals(List.of("handler", "server", "client", "config", "pipeline", "frame-handler", "topics-handler",
                        "topics-config", "topics-all", "topics-redis", "statistics"),
                new ArrayList<>(regions().keySet()));
    }

    /**
     * Each README code block that follows a {@code <!-- snippet: NAME -->} line must be the region NAME, verbatim
     * without its indentation. The README is written separately; until it exists there is nothing to compare.
     */
    @Test
    void theReadmeQuotesTheSnippetsAsTheyAre() throws IOException {
        Assumptions.assumeTrue(Files.exists(README), "no README.md yet at " + README.toAbsolutePath().normalize());
        String readme = Files.readString(README, StandardCharsets.UTF_8).replace("\r\n", "\n");
        Map<String, String> regions = regions();
        Matcher quote = Pattern.compile("<!-- snippet: ([a-z-]+) -->\\n```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int quotes = 0;
        while (quote.find()) {
            String name = quote.group(1);
            assertTrue(regions.containsKey(name), "README quotes an unknown snippet \"" + name + "\"; known: " + regions.keySet());
            assertEquals(regions.get(name), quote.group(2), "README's snippet \"" + name + "\" differs from ReadmeSnippets.java");
            quotes++;
        }
        assertFalse(readme.contains("```java") && quotes == 0,
                "README has Java code but no <!-- snippet: NAME --> markers tying it to ReadmeSnippets.java");
    }

    /** The tagged regions of ReadmeSnippets.java, in order, each without its common indentation. */
    static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher region = REGION.matcher(Files.readString(SOURCE, StandardCharsets.UTF_8).replace("\r\n", "\n"));
        while (region.find()) {
            regions.put(region.group(1), dedent(region.group(2)));
        }
        return regions;
    }

    /** {@code text} with the indentation its non-blank lines share removed from every line. */
    private static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
