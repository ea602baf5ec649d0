package dev.wsnetty.netty.topics;

import dev.wsnetty.netty.handshake.HandshakeRequest;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.internal.IoType;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures (asserts nothing about) what subscriptions cost on the heap: 10,000 upgraded server connections (our
 * pipeline, one event loop; the clients are plain sockets held by a child JVM, {@link HeldConnectionsMain}, so
 * each process stays under the 20,000 open files limit), live heap after GC before subscribing, after subscribing
 * each to one topic, after subscribing each to ten, and after unsubscribing everything. Prints one line per step
 * and the costs per connection and per subscription.
 *
 * <p>Not in the default suite (the name does not end in Test); run it alone:
 * <pre>
 * ./mvnw -B -o -q -pl websocket-netty -am test -Dtest=SubscriptionMemoryMeasurement \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DskipAutobahn
 * </pre>
 * {@code -Dwsnetty.topics.memory.connections=N} changes the number of connections; the figures are in
 * {@code websocket-netty/target/surefire-reports/dev.wsnetty.netty.topics.SubscriptionMemoryMeasurement-output.txt}.
 */
class SubscriptionMemoryMeasurement {
    private static final int CONNECTIONS = Integer.getInteger("wsnetty.topics.memory.connections", 10_000);
    private static final String[] TOPICS = {
        "topic-0", "topic-1", "topic-2", "topic-3", "topic-4", "topic-5", "topic-6", "topic-7", "topic-8", "topic-9"};

    @Test
    void heapPerSubscription() throws Exception {
        Queue<Channel> opened = new ConcurrentLinkedQueue<>();
        WebSocketEndpoint endpoint = (channel, request, subprotocol) -> opened.add(channel);
        try (TestServer server = TestServer.builder(TestServer.everywhere(endpoint).build())
                .io(IoType.NIO, 1).backlog(4096).start()) {
            Process clients = startClients(server.port());
            try {
                Await.until(CONNECTIONS + " connections upgraded", Duration.ofMinutes(2),
                        () -> opened.size() == CONNECTIONS);
                List<Channel> channels = new ArrayList<>(opened);
                opened.clear();
                ChannelTopics topics = new ChannelTopics();
                EventLoop loop = channels.get(0).eventLoop();

                long baseline = usedHeapAfterGc();
                report("baseline, " + CONNECTIONS + " connections", baseline, baseline);
                for (Channel channel : channels) {
                    assertTrue(topics.subscribe(channel, TOPICS[0]));
                }
                settle(loop);
                long oneTopic = usedHeapAfterGc();
                report("each connection in 1 topic", oneTopic, baseline);
                for (Channel channel : channels) {
                    for (int t = 1; t < TOPICS.length; t++) {
                        assertTrue(topics.subscribe(channel, TOPICS[t]));
                    }
                }
                settle(loop);
                long tenTopics = usedHeapAfterGc();
                report("each connection in " + TOPICS.length + " topics", tenTopics, baseline);
                for (String topic : TOPICS) {
                    assertEquals(CONNECTIONS, topics.subscriberCount(topic));
                }
                for (Channel channel : channels) {
                    for (String topic : TOPICS) {
                        assertTrue(topics.unsubscribe(channel, topic));
                    }
                }
                settle(loop);
                assertEquals(0, topics.topicCount());
                long none = usedHeapAfterGc();
                report("every subscription ended (topicCount 0)", none, baseline);

                int subscriptions = CONNECTIONS * TOPICS.length;
                System.out.printf("RESULT connections=%d topics=%d: first subscription of a connection %.1f B;"
                                + " each further subscription %.1f B; per subscription (10 per connection) %.1f B;"
                                + " per connection in 10 topics %.1f B; left after unsubscribing all %.1f B per"
                                + " connection%n",
                        CONNECTIONS, TOPICS.length, (oneTopic - baseline) / (double) CONNECTIONS,
                        (tenTopics - oneTopic) / (double) (subscriptions - CONNECTIONS),
                        (tenTopics - baseline) / (double) subscriptions,
                        (tenTopics - baseline) / (double) CONNECTIONS, (none - baseline) / (double) CONNECTIONS);
            } finally {
                clients.getOutputStream().close();
                if (!clients.waitFor(30, TimeUnit.SECONDS)) {
                    clients.destroyForcibly();
                }
            }
        }
    }

    /** Starts the child JVM holding the connections and waits for its {@code HELD n}. */
    private static Process startClients(int port) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                HeldConnectionsMain.class.getName(), Integer.toString(port), Integer.toString(CONNECTIONS));
        builder.redirectError(new File("target/held-connections-stderr.log"));
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("HELD " + CONNECTIONS, line, "the client process (see target/held-connections-stderr.log)");
        return process;
    }

    /**
     * Lets the loop apply every queued join and leave: each round trip through its task queue lets at least one
     * pass of the topics' drain task run, and a pass applies up to 1,024 commands.
     */
    private static void settle(EventLoop loop) throws Exception {
        int rounds = CONNECTIONS * TOPICS.length / 1024 + 50;
        for (int i = 0; i < rounds; i++) {
            loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100); // measuring, not waiting for a condition: lets concurrent GC work finish
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    private static void report(String step, long used, long baseline) {
        System.out.printf("STEP %-45s used heap %,d B, %+,d B from the baseline%n", step, used, used - baseline);
    }
}
