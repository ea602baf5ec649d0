package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What the connections of one fan-out run share: the payload template, the window of messages not yet delivered
 * to every subscriber (one countdown per slot), the measurement window, the latency histograms (one per client
 * event loop, not per connection: 10,000 histograms would take 300 MB) and the latches the run waits on.
 */
final class FanoutPlan {
    final String host;
    final int port;
    final int opcode;
    final int subscribers;
    final int window;
    /** The payload of every message; its first {@link FanoutLoad#STAMP_BYTES} bytes are replaced by the stamp. */
    final ByteBuf template;
    /** The masked Close frame (1000) sent when a connection is done, never released. */
    final ByteBuf close;
    /** Per slot (sequence number modulo the window): subscribers that have not received that message yet. */
    final AtomicIntegerArray undelivered;
    /** Handshakes in progress at most, so that a server's accept queue does not overflow. */
    final Semaphore connecting;
    final CountDownLatch subscribed;
    final CountDownLatch publisherReady = new CountDownLatch(1);
    /** Counted down once the publisher has stopped and every message it sent was delivered everywhere. */
    final CountDownLatch published = new CountDownLatch(1);
    private final Map<EventExecutor, LatencyHistogram> latencies = new ConcurrentHashMap<>();
    /** Set once, before the publisher starts; read by the connections after that. */
    volatile long measureStart;
    volatile long measureEnd;
    /** Set once, before the subscribers' handshakes. */
    volatile FanoutPublisher publisher;

    FanoutPlan(LoadOptions options, int opcode, ByteBuf template, ByteBuf close, int connectingAtOnce) {
        this.host = options.host();
        this.port = options.port();
        this.opcode = opcode;
        this.subscribers = options.connections();
        this.window = options.inflight();
        this.template = template;
        this.close = close;
        this.undelivered = new AtomicIntegerArray(window);
        this.connecting = new Semaphore(connectingAtOnce);
        this.subscribed = new CountDownLatch(subscribers);
    }

    /** The histogram of the connections on {@code loop}: recorded to on that loop only. */
    LatencyHistogram latenciesOf(EventExecutor loop) {
        return latencies.computeIfAbsent(loop, l -> new LatencyHistogram());
    }

    /** All latencies recorded, merged; after the connections are done. */
    LatencyHistogram latencies() {
        LatencyHistogram all = new LatencyHistogram();
        latencies.values().forEach(all::add);
        return all;
    }

    /** A subscriber received message {@code sequence}: the last one to do so completes it. Any thread. */
    void delivered(long sequence) {
        if (undelivered.decrementAndGet((int) (sequence % window)) == 0) {
            publisher.completed();
        }
    }
}
