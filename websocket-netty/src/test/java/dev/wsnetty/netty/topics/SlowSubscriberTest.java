package dev.wsnetty.netty.topics;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.Communicator;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.netty.topics.SubscriberClients.Received;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The slow-subscriber policy over real sockets. The slow subscriber is a raw client with a 4 KiB receive buffer that
 * does not read; a normal client subscribed to the same topic reads. Messages of 16 KiB are published in batches of
 * half the bound, each batch waiting for the normal client to have received it, until the slow one's queue passes
 * the bound (the kernel's socket buffers take some first).
 */
class SlowSubscriberTest {
    static final int BOUND = 256 * 1024;
    private static final int MESSAGE = 16 * 1024;
    /** Half the bound: a subscriber that keeps up never has more than one batch queued. */
    private static final int BATCH = 8;
    /** Enough to fill any loopback socket buffers many times over; the policy acts long before. */
    private static final int MAX_BATCHES = 400;

    @ParameterizedTest
    @ValueSource(ints = {CloseCodes.TRY_AGAIN_LATER, CloseCodes.POLICY_VIOLATION})
    void closePolicyClosesTheSlowSubscriberWithItsCodeAndTheBoundWhileTheOthersGetEverything(int code)
            throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient slow = RawClient.connect(server.port(), s -> setReceiveBuffer(s)).upgrade("/");
             SubscriberClients normal = connectBoth(server)) {
            ChannelTopics topics = server.server().topics();
            TopicsConfig.Builder config = TopicsConfig.builder().maxQueuedBytes(BOUND);
            if (code == CloseCodes.POLICY_VIOLATION) {
                config.slowSubscriberCloseCode(code);
            } // else: 1013 is the default
            topics.setConfig(config.build());

            int published = publishUntil(topics, () -> normal.count(0), () -> topics.slowSubscribersClosed() == 1);
            // Everything after the close still reaches the normal subscriber.
            published += publishBatch(topics, () -> normal.count(0), published);
            assertEquals(1, topics.slowSubscribersClosed());
            assertEquals(0, topics.droppedMessages());
            assertEquals(expected(published), normal.received(0), "every message, in order, to the normal client");

            // The slow client now reads what was queued for it before the Close: messages in order, then the Close.
            int read = 0;
            WireFrame frame;
            while ((frame = slow.readFrame()).opcode() != 0x8) {
                assertArrayEquals(message(read++), frame.payload(), "message " + (read - 1) + " to the slow client");
            }
            assertTrue(read < published, read + " of " + published + " messages reached the slow client");
            assertEquals(code, frame.closeCode());
            assertTrue(frame.closeReason().startsWith("too slow: ") && frame.closeReason().endsWith(
                    " bytes were queued, the bound is " + BOUND), frame.closeReason());
            // An empty Close back (wsnetty refuses 1013 from a peer): the server then ends the stream.
            slow.send(Frames.masked(true, 0x8, new byte[0]));
            slow.expectEndOfStream();
            assertTrue(slowSide.unwrap(Channel.class).closeFuture().awaitUninterruptibly(Await.DEADLINE.toMillis()));
            Await.until("the closed subscriber left", () -> topics.subscriberCount("feed") == 1);
        }
    }

    @Test
    void dropPolicyKeepsTheSlowSubscriberOpenCountsWhatItMissedAndDeliversOnceItReads() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient slow = RawClient.connect(server.port(), s -> setReceiveBuffer(s)).upgrade("/");
             SubscriberClients normal = connectBoth(server)) {
            ChannelTopics topics = server.server().topics();
            topics.setConfig(TopicsConfig.builder().maxQueuedBytes(BOUND)
                    .slowSubscriberAction(SlowSubscriberAction.DROP).build());
            Channel slowChannel = slowSide.unwrap(Channel.class);

            int published = publishUntil(topics, () -> normal.count(0), () -> topics.droppedMessages() >= 2 * BATCH);
            published += publishBatch(topics, () -> normal.count(0), published);
            assertEquals(expected(published), normal.received(0), "every message, in order, to the normal client");
            assertTrue(slowChannel.isActive(), "a dropping subscriber stays open");
            assertEquals(0, topics.slowSubscribersClosed());

            // The slow client reads: it gets every message that was not dropped, in order, and nothing twice.
            List<Integer> read = new ArrayList<>();
            int total = published;
            while (read.size() + topics.droppedMessages(slowChannel) < total) {
                read.add(indexOf(slow.readFrame().payload()));
            }
            assertEquals(total, read.size() + topics.droppedMessages(slowChannel));
            assertEquals(topics.droppedMessages(), topics.droppedMessages(slowChannel), "only the slow one dropped");
            for (int i = 1; i < read.size(); i++) {
                assertTrue(read.get(i) > read.get(i - 1), "in order: " + read.get(i - 1) + " then " + read.get(i));
            }
            // Caught up, it gets the next messages again.
            long dropped = topics.droppedMessages();
            for (int i = 0; i < 3; i++) {
                topics.publish("feed", message(total + i));
                assertArrayEquals(message(total + i), slow.readFrame().payload(), "a message after catching up");
            }
            assertEquals(dropped, topics.droppedMessages());
            assertTrue(slowChannel.isActive());
        }
    }

    @Test
    void aMessageLargerThanTheBoundGoesToAnEmptyQueue() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients client = SubscriberClients.connect(server.port(), 1)) {
            ChannelTopics topics = server.server().topics();
            topics.setConfig(TopicsConfig.builder().maxQueuedBytes(1000).build());
            assertTrue(server.next().subscribe("feed"));
            List<Received> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] large = new byte[200_000];
                Arrays.fill(large, (byte) i);
                topics.publish("feed", large);
                expected.add(Received.binary(large));
                Await.until("message " + expected.size() + " arrived", () -> client.count(0) == expected.size());
            }
            assertEquals(expected, client.received(0));
            assertEquals(0, topics.slowSubscribersClosed());
            assertEquals(0, topics.droppedMessages());
        }
    }

    /**
     * A burst that the socket takes at once does not make a reading subscriber slow: 16 messages of 1 KiB published
     * while the subscriber's event loop is busy, so that one pass writes them all, with a bound of 8 KiB and DROP.
     * The bound is about bytes the socket has not taken, so the pass must offer the socket what it wrote before
     * judging the queue (it flushes only at its end otherwise, and every message past the eighth was dropped).
     */
    @Test
    void aBurstTheSocketTakesAtOnceIsNotJudgedSlow() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients client = SubscriberClients.connect(server.port(), 1)) {
            ChannelTopics topics = server.server().topics();
            topics.setConfig(TopicsConfig.builder().maxQueuedBytes(8 * 1024)
                    .slowSubscriberAction(SlowSubscriberAction.DROP).build());
            Communicator side = server.next();
            assertTrue(side.subscribe("feed"));
            CountDownLatch busy = new CountDownLatch(1);
            side.unwrap(Channel.class).eventLoop().execute(() -> {
                try {
                    busy.await(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<Received> expected = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] data = new byte[1024];
                Arrays.fill(data, (byte) i);
                topics.publish("feed", data);
                expected.add(Received.binary(data));
            }
            busy.countDown();
            Await.until("16 messages arrived or were dropped",
                    () -> client.count(0) + topics.droppedMessages() == expected.size());
            assertEquals(0, topics.droppedMessages(), "messages dropped for a subscriber that reads");
            assertEquals(expected, client.received(0));
        }
    }

    /**
     * wsnetty's own client as the slow subscriber (it stops reading), with the close code set to 1008: once it reads
     * again it gets the messages queued before the Close, in order, then the Close with 1008. (With the default
     * 1013 it would not: wsnetty refuses 1013 from a peer as an invalid close code.)
     */
    @Test
    void ourClientAsTheSlowSubscriberReceivesTheConfiguredCloseCode() throws Exception {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             SubscriberClients clients = SubscriberClients.connect(server.port(), 2)) {
            ChannelTopics topics = server.server().topics();
            topics.setConfig(TopicsConfig.builder().maxQueuedBytes(BOUND)
                    .slowSubscriberCloseCode(CloseCodes.POLICY_VIOLATION).build());
            for (Communicator c : clients.serverSides(server)) {
                assertTrue(c.subscribe("feed"));
            }
            Channel slowClient = clients.channel(0);
            slowClient.config().setAutoRead(false);
            int published = publishUntil(topics, () -> clients.count(1), () -> topics.slowSubscribersClosed() == 1);
            slowClient.config().setAutoRead(true);
            Await.until("the slow client got the Close", () -> clients.closeCode(0) != -1);
            assertEquals(CloseCodes.POLICY_VIOLATION, clients.closeCode(0));
            List<Received> got = clients.received(0);
            assertTrue(got.size() < published, got.size() + " of " + published + " reached the slow client");
            assertEquals(expected(got.size()), got, "the messages before the Close, in order");
            assertEquals(expected(published), clients.received(1), "every message to the normal client");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The slow client's server side; set by {@link #connectBoth}. */
    private Communicator slowSide;

    /**
     * Subscribes the slow raw client's server side (connected already, the next connection) to "feed", then connects
     * the normal client and subscribes it.
     */
    private SubscriberClients connectBoth(WebSocketServerFixture server) {
        slowSide = server.next();
        assertTrue(slowSide.subscribe("feed"));
        SubscriberClients normal = SubscriberClients.connect(server.port(), 1);
        assertTrue(server.next().subscribe("feed"));
        return normal;
    }

    /**
     * Publishes batches, each received whole by the normal client (which has received {@code normal} messages) before
     * the next, until {@code done}; returns how many messages were published.
     */
    static int publishUntil(ChannelTopics topics, IntSupplier normal, BooleanSupplier done) {
        int published = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            published += publishBatch(topics, normal, published);
            if (done.getAsBoolean()) {
                return published;
            }
        }
        return fail("the policy did not act after " + published + " messages of " + MESSAGE + " bytes");
    }

    private static int publishBatch(ChannelTopics topics, IntSupplier normal, int from) {
        for (int i = from; i < from + BATCH; i++) {
            topics.publish("feed", message(i));
        }
        Await.until("the normal client received " + (from + BATCH) + " messages",
                () -> normal.getAsInt() >= from + BATCH);
        return BATCH;
    }

    static List<Received> expected(int count) {
        List<Received> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(Received.binary(message(i)));
        }
        return expected;
    }

    /** Message {@code i}: {@value #MESSAGE} bytes starting with {@code i}, then a pattern of it. */
    private static byte[] message(int i) {
        byte[] data = new byte[MESSAGE];
        for (int j = 0; j < MESSAGE; j++) {
            data[j] = (byte) (i + j);
        }
        data[0] = (byte) (i >>> 24);
        data[1] = (byte) (i >>> 16);
        data[2] = (byte) (i >>> 8);
        data[3] = (byte) i;
        return data;
    }

    /** The index of a message, checking that the rest of it is intact. */
    private static int indexOf(byte[] payload) {
        int i = ((payload[0] & 0xFF) << 24) | ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8)
                | (payload[3] & 0xFF);
        assertArrayEquals(message(i), payload, "message " + i);
        return i;
    }

    private static void setReceiveBuffer(Socket socket) {
        try {
            socket.setReceiveBufferSize(4096);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
