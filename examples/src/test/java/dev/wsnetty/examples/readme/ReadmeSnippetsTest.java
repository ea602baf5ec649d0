package dev.wsnetty.examples.readme;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.ClientProxy;
import dev.wsnetty.netty.client.ReconnectingCommunicator;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.topics.SlowSubscriberAction;
import dev.wsnetty.redis.RedisTopicsBridge;
import dev.wsnetty.redis.testing.RedisServer;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.regex.Pattern;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

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

    @Test
    void theProxiedClientGoesThroughTheProxyWithCredentials() {
        WebSocketClient client = ReadmeSnippets.proxiedClient("wss://example.com/feed", "pw");
        assertEquals(Optional.of(ClientProxy.http("proxy.example.com", 3128).withCredentials("alice", "pw")),
                client.getProxySelector().select(client.getUri()));
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
    void theClientFollowsARedirectToTheEchoServer() throws Exception {
        WebSocketServer server = ReadmeSnippets.echoServer(0);
        try (ScriptedServer moved = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 301 Moved Permanently\r\nLocation: ws://127.0.0.1:" + server.port()
                    + "/new\r\nContent-Length: 0\r\n\r\n");
            ex.awaitClientClose();
        })) {
            Communicator connection =
                    ReadmeSnippets.connectFollowingRedirects("ws://127.0.0.1:" + moved.port() + "/old");
            connection.writeStringMessage("hello");
            assertEquals("hello", connection.waitForStringMessage(Duration.ofSeconds(5)).data());
            connection.close();
            moved.takeRequest();
        } finally {
            server.stop();
        }
    }

    /** The hook subscribes on the first connection and again after the server came back on the same port. */
    @Test
    void theFeedSubscribesAgainAfterTheServerRestarts() {
        WebSocketServer server = ReadmeSnippets.echoServer(0);
        int port = server.port();
        ReconnectingCommunicator prices = ReadmeSnippets.stayConnected("ws://127.0.0.1:" + port + "/prices");
        try {
            assertEquals("subscribe prices", prices.waitForStringMessage(Duration.ofSeconds(10)).data());
            server.stop();
            server = ReadmeSnippets.echoServer(port);
            assertEquals("subscribe prices", prices.waitForStringMessage(Duration.ofSeconds(60)).data(),
                    "after the reconnect (waits of 1 s, 2 s, ... while the server was down)");
            assertEquals(2, prices.client().connections());
        } finally {
            prices.close();
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
        Channel listening = ReadmeSnippets.pipelineEchoServer(0);
        EventLoopGroup group = listening.eventLoop().parent();
        try {
            int port = ((InetSocketAddress) listening.localAddress()).getPort();
            assertEquals("hello", ReadmeSnippets.sayHello("ws://127.0.0.1:" + port + "/echo"));
            listening.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * The README's five-minute server and client compile as they stand (their imports and all, without a warning
     * under -Xlint:all) and talk in two JVMs: the client prints the echo, and a client of a path the server does
     * not serve is refused with 404 and exits with status 1. ReadmeProjectIT does the same through Maven.
     */
    @Test
    void theFiveMinuteServerAndClientCompileAsTheyStandAndTalk(@TempDir Path dir) throws Exception {
        Map<String, String> files = projectFiles();
        assertEquals(Set.of("src/main/java/EchoServer.java", "src/main/java/EchoClient.java"), files.keySet());
        List<Path> sources = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path source = dir.resolve(file.getKey());
            Files.createDirectories(source.getParent());
            sources.add(Files.writeString(source, file.getValue()));
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean compiled = javac.getTask(null, fileManager, diagnostics,
                    List.of("-Xlint:all", "-d", classes.toString(), "-cp", classPath), null,
                    fileManager.getJavaFileObjectsFromPaths(sources)).call();
            List<String> aboutTheSnippets = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getSource() != null).map(Object::toString).toList();
            assertEquals(List.of(), aboutTheSnippets);
            assertTrue(compiled);
        }

        String runClassPath = classes + File.pathSeparator + classPath;
        Process server = java(runClassPath, "EchoServer", "0").start();
        try {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String banner = CompletableFuture.supplyAsync(() -> {
                try {
                    return serverOut.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            Matcher listening = Pattern.compile("Listening on ws://localhost:(\\d+)/echo").matcher(String.valueOf(banner));
            assertTrue(listening.matches(), "the server's first line: " + banner);
            String url = "ws://127.0.0.1:" + listening.group(1);

            assertEquals(new ClientRun(0, "Answer: hello\n", ""), runClient(runClassPath, url + "/echo", dir));
            ClientRun refused = runClient(runClassPath, url + "/nothere", dir);
            assertEquals(1, refused.exitStatus(), refused.toString());
            assertTrue(refused.stderr().lines().anyMatch(l -> l.startsWith("Cannot connect: ") && l.contains("404")),
                    refused.toString());
        } finally {
            server.destroy(); // SIGTERM: its shutdown hook stops it
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /**
     * A client JVM's exit status and what it printed; its stderr without SLF4J's notes (this test's class path has
     * slf4j-api without a binding, a new user's project has neither).
     */
    private record ClientRun(int exitStatus, String stdout, String stderr) {
    }

    private static ClientRun runClient(String classPath, String url, Path dir) throws Exception {
        Path stdout = Files.createTempFile(dir, "client", ".out");
        Path stderr = Files.createTempFile(dir, "client", ".err");
        Process client = java(classPath, "EchoClient", url).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!client.waitFor(60, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("the client of " + url + " did not end within 60 s; it printed "
                    + Files.readString(stdout) + Files.readString(stderr));
        }
        String errors = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.startsWith("SLF4J: ")).map(line -> line + "\n").collect(Collectors.joining());
        return new ClientRun(client.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), errors);
    }

    private static ProcessBuilder java(String classPath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * The README's blocks that make a new user's project, each after a {@code <!-- project: NAME -->} line: NAME is
     * a file's path in the project ({@code src/main/java/EchoServer.java}) or, for the pom's parts, a word
     * ({@code dependencies}, {@code bom}).
     */
    static Map<String, String> projectBlocks() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8).replace("\r\n", "\n");
        Matcher block = Pattern.compile("<!-- project: ([\\w/.-]+) -->\\n```[a-z]+\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        Map<String, String> blocks = new LinkedHashMap<>();
        while (block.find()) {
            blocks.put(block.group(1), block.group(2));
        }
        return blocks;
    }

    /** The README's project blocks that are source files, by their path in the project. */
    static Map<String, String> projectFiles() throws IOException {
        Map<String, String> files = new LinkedHashMap<>(projectBlocks());
        files.keySet().removeIf(name -> !name.contains("/"));
        return files;
    }

    @Test
    void everySnippetHasARegion() throws IOException {
        assertEquals(List.of("handler", "server", "client", "client-proxy", "client-redirects", "client-reconnect",
                        "config", "pipeline", "frame-handler", "topics-handler", "topics-config", "topics-all",
                        "topics-redis", "statistics"),
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
