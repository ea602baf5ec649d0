package dev.wsnetty.netty.stats;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The live counters of a server's (or the JVM's clients') WebSocket connections, read on demand with
 * {@link #snapshot()}. The handlers count as events happen: a connection opened or closed, a handshake accepted or
 * refused, each data frame in and out (payload bytes; a message at its final frame), each Close frame sent and
 * received. Counters are {@link LongAdder}s: event loops that count at the same time update different cells
 * instead of contending for one, so counting costs a few nanoseconds per frame and stays on by default
 * (BENCHMARKS.md, "Metrics"). The gauges (inbound memory, topic subscribers and drops) are read from their owners
 * when a snapshot is taken. Thread-safe.
 *
 * <p>Where a connection finds its statistics: {@link #of(Channel)}, the channel's own attribute (clients) or its
 * parent's, the server channel's ({@code WebSocketServer} sets it there once, so a connection costs no attribute).
 * A channel with neither (the pipeline API without {@link #KEY}) is not counted. The record methods are for
 * wsnetty's handlers, which call them on the channel's event loop.
 */
public final class WebSocketStatistics {
    /** The attribute, on a server channel or a connection's channel, that holds the statistics it counts into. */
    public static final AttributeKey<WebSocketStatistics> KEY =
            AttributeKey.valueOf(WebSocketStatistics.class, "statistics");

    private static final WebSocketStatistics ALL_CLIENTS = new WebSocketStatistics();

    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder handshakesAccepted = new LongAdder();
    private final Map<Integer, LongAdder> handshakesRefused = new ConcurrentHashMap<>();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Map<Integer, LongAdder> closeCodesSent = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closeCodesReceived = new ConcurrentHashMap<>();
    /** The gauges of the owner (a server's budget and topics); zero until it sets them. */
    private volatile LongSupplier inboundMemoryUsed = () -> 0;
    private volatile LongSupplier topicSubscriptions = () -> 0;
    private volatile LongSupplier topicMessagesDropped = () -> 0;

    /** Empty statistics; the owner sets its gauges with {@link #measureInboundMemory} and {@link #measureTopics}. */
    public WebSocketStatistics() {
    }

    /** The statistics of every client connection this JVM makes ({@code ClientConnector}, {@code WebSocketClient}). */
    public static WebSocketStatistics allClients() {
        return ALL_CLIENTS;
    }

    /**
     * The statistics {@code channel} counts into: its own {@link #KEY} attribute, else its parent's, else null (not
     * counted). Read once per connection, not per event.
     */
    public static WebSocketStatistics of(Channel channel) {
        if (channel.hasAttr(KEY)) {
            return channel.attr(KEY).get();
        }
        Channel parent = channel.parent();
        return parent != null && parent.hasAttr(KEY) ? parent.attr(KEY).get() : null;
    }

    /** Reads the bytes held by the inbound memory budget from {@code used} at each snapshot. */
    public void measureInboundMemory(LongSupplier used) {
        this.inboundMemoryUsed = Objects.requireNonNull(used, "used");
    }

    /** Reads the topics' subscriptions and the messages their slow-subscriber policy dropped at each snapshot. */
    public void measureTopics(LongSupplier subscriptions, LongSupplier messagesDropped) {
        this.topicSubscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
        this.topicMessagesDropped = Objects.requireNonNull(messagesDropped, "messagesDropped");
    }

    /** Counts a connection that switched to WebSocket. */
    public void connectionOpened() {
        opened.increment();
    }

    /** Counts the end of a connection counted by {@link #connectionOpened()}. */
    public void connectionClosed() {
        closed.increment();
    }

    /** Counts a handshake answered (server) or completed (client) with 101. */
    public void handshakeAccepted() {
        handshakesAccepted.increment();
    }

    /**
     * Counts a refused or failed handshake by its HTTP status: the server's answer, or on a client the server's
     * status ({@link StatisticsSnapshot#NO_RESPONSE} when there was no valid response: timeout, TLS, bad response).
     */
    public void handshakeRefused(int status) {
        count(handshakesRefused, status);
    }

    /** Counts a data frame received: its payload bytes, and a message when it is the final frame. */
    public void dataReceived(int payloadBytes, boolean fin) {
        bytesIn.add(payloadBytes);
        if (fin) {
            messagesIn.increment();
        }
    }

    /** Counts a data frame sent: its payload bytes, and a message when it is the final frame. */
    public void dataSent(int payloadBytes, boolean fin) {
        bytesOut.add(payloadBytes);
        if (fin) {
            messagesOut.increment();
        }
    }

    /** Counts a Close frame sent with {@code code} (1005 for an empty Close). */
    public void closeSent(int code) {
        count(closeCodesSent, code);
    }

    /** Counts a Close frame received with {@code code} (1005, as the RFC says, for an empty one). */
    public void closeReceived(int code) {
        count(closeCodesReceived, code);
    }

    /** The figures now; counters that change meanwhile may be a few events apart from each other. */
    public StatisticsSnapshot snapshot() {
        long closedNow = closed.sum();
        return new StatisticsSnapshot(opened.sum() - closedNow, opened.sum(), handshakesAccepted.sum(),
                sums(handshakesRefused), messagesIn.sum(), bytesIn.sum(), messagesOut.sum(), bytesOut.sum(),
                sums(closeCodesSent), sums(closeCodesReceived), inboundMemoryUsed.getAsLong(),
                topicSubscriptions.getAsLong(), topicMessagesDropped.getAsLong());
    }

    private static void count(Map<Integer, LongAdder> counts, int key) {
        LongAdder counter = counts.get(key);
        if (counter == null) {
            counter = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        counter.increment();
    }

    private static Map<Integer, Long> sums(Map<Integer, LongAdder> counts) {
        Map<Integer, Long> sums = new TreeMap<>();
        counts.forEach((key, counter) -> sums.put(key, counter.sum()));
        return sums;
    }
}
