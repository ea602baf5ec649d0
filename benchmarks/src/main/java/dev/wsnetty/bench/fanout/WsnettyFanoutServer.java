package dev.wsnetty.bench.fanout;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageType;
import dev.wsnetty.RequestData;
import dev.wsnetty.ResponseHeaders;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.Topics;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.bench.server.ServerControl;
import dev.wsnetty.netty.server.WebSocketServer;

import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fan-out through wsnetty's blocking API and topics, as most users will write it: a connection to {@code /pub}
 * is the publisher, a {@link ThreadedWebSocketHandler} whose loop takes each message and hands it to
 * {@code communicator.topics().publish(...)}; any other path is a subscriber, a plain {@link WebSocketHandler}
 * that subscribes the connection to the one topic and returns (the connection stays open, no thread held). One
 * event loop thread, library defaults otherwise (the slow-subscriber policy included).
 *
 * <p>The time of each publish call on the publisher's thread is recorded after {@code --warmup S} seconds from the
 * publisher's connect and printed as a {@code PUBLISH_COST} line when the publisher disconnects.
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.fanout.WsnettyFanoutServer 8080 8081 --warmup 5</pre>
 */
public final class WsnettyFanoutServer {
    /** The one topic every subscriber joins. */
    static final String TOPIC = "feed";
    private static final EnumSet<MessageType> DATA = EnumSet.of(MessageType.STRING, MessageType.BINARY);

    private WsnettyFanoutServer() {
    }

    /** Serves on {@code args[0]} until killed; {@code args[1]} is the control port; {@code --warmup S}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        int port = Integer.parseInt(args[0]);
        int controlPort = Integer.parseInt(args[1]);
        try (ServerControl control = ServerControl.start(controlPort)) {
            WebSocketServer server = start(port, PublishCost.warmupOption(args));
            System.out.println("WsnettyFanoutServer listening on 127.0.0.1:" + server.port()
                    + ", control port " + control.port());
            server.start();
        }
    }

    /**
     * Starts the server on loopback and returns it listening.
     *
     * @param port the port, 0 for any free one
     * @param warmupNanos how long after the publisher connects its publish calls are not timed
     */
    public static WebSocketServer start(int port, long warmupNanos) {
        WebSocketServer server = new WebSocketServer("127.0.0.1", port);
        server.setEventLoopThreads(1);
        Subscriber subscriber = new Subscriber();
        server.registerHandler("*", "/pub", new Publisher(new PublishCost(warmupNanos), subscriber), true, false);
        server.registerHandler("*", "*", subscriber, true, true);
        server.bind();
        return server;
    }

    /** Subscribes the connection and leaves it open: the topic does the rest. */
    private static final class Subscriber extends WebSocketHandler {
        /** How long the publisher waits for accepted subscribers to join before it publishes anyway. */
        private static final long JOIN_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);
        /**
         * Accepted, not yet subscribed. The 101 goes out before {@link #handleCommunication} runs, so a client
         * may see its handshake done (and the load generator start publishing) before the connection joined.
         */
        private final AtomicInteger joining = new AtomicInteger();

        @Override
        public boolean accept(RequestData request, ResponseHeaders responseHeaders) {
            joining.incrementAndGet();
            return true;
        }

        @Override
        public void handleCommunication(Communicator communicator) {
            communicator.subscribe(TOPIC);
            joining.decrementAndGet();
        }

        /** Waits, up to a deadline, until every accepted subscriber has joined the topic. */
        void awaitJoined() {
            long deadline = System.nanoTime() + JOIN_DEADLINE_NANOS;
            while (joining.get() > 0 && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Publishes every message of its connection to the topic, timing each publish call. */
    private static final class Publisher extends ThreadedWebSocketHandler {
        private final PublishCost cost;
        private final Subscriber subscribers;

        Publisher(PublishCost cost, Subscriber subscribers) {
            this.cost = cost;
            this.subscribers = subscribers;
        }

        @Override
        protected void doHandleCommunication(Communicator communicator) {
            Topics topics = communicator.topics();
            subscribers.awaitJoined(); // else the first messages may miss subscribers still joining
            cost.publisherOpened();
            WebSocketMessage message;
            while ((message = communicator.waitForMessage(DATA)) != null) {
                long cpuStart = PublishCost.cpuNow();
                long start = System.nanoTime();
                if (message instanceof BinaryMessage) {
                    topics.publish(TOPIC, ((BinaryMessage) message).data());
                } else {
                    topics.publish(TOPIC, ((StringMessage) message).data());
                }
                long end = System.nanoTime();
                cost.record(start, end, cpuStart, PublishCost.cpuNow());
            }
            cost.print(topics.subscriberCount(TOPIC));
        }
    }
}
