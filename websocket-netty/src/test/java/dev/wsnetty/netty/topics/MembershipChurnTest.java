package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Subscribing and unsubscribing from several threads at once, while others publish and some connections close: in
 * the end every topic's subscriber count is the number of open connections subscribed to it, the topics without
 * subscribers are gone, and once every connection closed nothing is left (and no frame leaked: the leak detector
 * runs paranoid).
 */
class MembershipChurnTest {
    private static final String[] TOPICS = {"a", "b", "c", "d", "e"};
    private static final int CLIENTS = 24;
    private static final int OPERATIONS = 3_000;

    @Test
    void countsStayExactUnderConcurrentSubscribeUnsubscribePublishAndClose() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start()) {
            ChannelTopics topics = server.server().topics();
            topics.setConfig(TopicsConfig.builder().slowSubscriberAction(SlowSubscriberAction.DROP).build());
            SubscriberClients clients = SubscriberClients.connect(server.port(), CLIENTS);
            try {
                List<Channel> channels = new ArrayList<>();
                for (Communicator c : clients.serverSides(server)) {
                    channels.add(c.unwrap(Channel.class));
                }
                CountDownLatch start = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(5);
                try {
                    List<Future<?>> running = new ArrayList<>();
                    for (int w = 0; w < 3; w++) {
                        long seed = w;
                        running.add(pool.submit(() -> {
                            Random random = new Random(seed);
                            start.await();
                            for (int i = 0; i < OPERATIONS; i++) {
                                Channel channel = channels.get(random.nextInt(CLIENTS));
                                String topic = TOPICS[random.nextInt(TOPICS.length)];
                                if (random.nextBoolean()) {
                                    topics.subscribe(channel, topic);
                                } else {
                                    topics.unsubscribe(channel, topic);
                                }
                            }
                            return null;
                        }));
                    }
                    running.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < OPERATIONS; i++) {
                            topics.publish(TOPICS[i % TOPICS.length], "message " + i);
                        }
                        return null;
                    }));
                    running.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < CLIENTS / 3; i++) {
                            clients.channel(i).close(); // TCP closes mid-churn: their server sides leave everything
                        }
                        return null;
                    }));
                    start.countDown();
                    for (Future<?> f : running) {
                        f.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
                Await.until("the closed connections are gone on the server",
                        () -> channels.stream().filter(Channel::isOpen).count() == CLIENTS - CLIENTS / 3);
                Await.until("the counts match the subscriptions", () -> countsMatch(topics, channels));
            } finally {
                clients.close();
            }
            Await.until("every connection left every topic", () -> topics.topicCount() == 0);
            for (String topic : TOPICS) {
                assertEquals(0, topics.subscriberCount(topic));
            }
        }
    }

    /** Whether each topic's count is the number of channels subscribed to it, and empty topics are gone. */
    private static boolean countsMatch(ChannelTopics topics, List<Channel> channels) {
        int live = 0;
        for (String topic : TOPICS) {
            int subscribed = 0;
            for (Channel channel : channels) {
                if (topics.subscriptions(channel).contains(topic)) {
                    subscribed++;
                }
            }
            if (topics.subscriberCount(topic) != subscribed) {
                return false;
            }
            live += subscribed > 0 ? 1 : 0;
        }
        return topics.topicCount() == live;
    }
}
