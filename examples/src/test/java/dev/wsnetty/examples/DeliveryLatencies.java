package dev.wsnetty.examples;

import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WireFrame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * How late each numbered broadcast reached each client: the sender stamps message {@code #n} just before writing
 * it, a reader thread per client stamps its arrival as it reads the frame off the socket (raw sockets, so that
 * no client library's threads are timed along with the server). Every client must get every message, in order;
 * one that has not arrived counts with its age. The first messages are a warm-up: they must arrive like the
 * others, but are not timed.
 */
final class DeliveryLatencies {
    private final String relayPrefix;
    private final Duration bound;
    private final int warmUp;
    private final AtomicLongArray sentAt;
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Reader> readers = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param relayPrefix what precedes {@code n} in the broadcast of message {@code #n}, e.g.
     *                    {@code [Anonymous at 127.0.0.1:40000] says: #}
     * @param bound       the latest a message should arrive, to count the ones later than that
     * @param warmUp      how many messages, from {@code #0}, are not timed
     * @param capacity    the most messages that will be sent, the warm-up included
     */
    DeliveryLatencies(String relayPrefix, Duration bound, int warmUp, int capacity) {
        this.relayPrefix = relayPrefix;
        this.bound = bound;
        this.warmUp = warmUp;
        this.sentAt = new AtomicLongArray(capacity);
    }

    /** The text of message {@code n}: its number, a space and {@code padding}. */
    static String text(int n, String padding) {
        return "#" + n + ' ' + padding;
    }

    /**
     * Starts a reader thread on {@code client}, which from now on must receive every message; the reader owns the
     * client's input, and {@link #stop()} closes the client (ending a write to it that blocked, too).
     */
    void readFrom(RawClient client, String name) {
        Reader reader = new Reader(client, name);
        readers.add(reader);
        reader.thread.start();
    }

    /** Stamps the next message as sent now and returns its number; call just before writing it. */
    int stampNext() {
        int n = sent.get();
        sentAt.set(n, System.nanoTime());
        sent.set(n + 1);
        return n;
    }

    /** How many messages were sent. */
    int sent() {
        return sent.get();
    }

    /**
     * Waits until every client has received every message sent, or a reader failed, at most {@code limit}.
     *
     * @return whether all arrived
     */
    boolean awaitDelivered(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        for (;;) {
            int count = sent.get();
            if (readers.stream().allMatch(r -> r.next >= count)) {
                return true;
            }
            if (failure() != null || System.nanoTime() - end > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Why a client's deliveries went wrong (one out of order, its connection lost), or null. */
    String failure() {
        return readers.stream().map(r -> r.failure).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /** The longest any timed message took to reach any client; one not arrived yet counts with its age. */
    Duration worstLatency() {
        return Duration.ofNanos(readers.stream().mapToLong(Reader::worstOrPending).max().orElse(0));
    }

    /**
     * The latest arrival, said in full: which message, to whom, after how long (or that it has not arrived), and
     * how many timed arrivals of how many were past the bound.
     */
    String worst() {
        Reader worst = readers.stream().max((a, b) -> Long.compare(a.worstOrPending(), b.worstOrPending()))
                .orElseThrow();
        long pending = worst.pendingAge();
        String which = pending > worst.worstNanos
                ? "message #" + worst.next + " had not reached " + worst.name + ' ' + millis(pending)
                        + " after it was sent"
                : "message #" + worst.worstMessage + " reached " + worst.name + " after " + millis(worst.worstNanos);
        int late = readers.stream().mapToInt(r -> r.late).sum();
        long timed = readers.stream().mapToLong(r -> Math.max(0, r.next - warmUp)).sum();
        return which + " (" + late + " of " + timed + " timed arrivals took longer than " + bound.toMillis() + " ms)";
    }

    /**
     * Stops the readers: closes each client's socket (no Close frame: a write to a server that stopped reading
     * would block, and closing also ends a write blocked so) and waits for its reader to end.
     */
    void stop() throws InterruptedException, IOException {
        stopping = true;
        for (Reader r : readers) {
            r.client.close();
            r.thread.join(RunningExample.TIMEOUT.toMillis());
        }
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos) / 1000.0 + " ms";
    }

    /** One client's reader: reads its frames as they come and stamps the sender's messages. */
    private final class Reader implements Runnable {
        final RawClient client;
        final String name;
        final Thread thread;
        /** The number of the next message expected; written by the reader thread only, as are the fields below. */
        volatile int next;
        volatile long worstNanos;
        volatile int worstMessage = -1;
        /** Timed arrivals later than the bound. */
        volatile int late;
        /** Why this client's deliveries are wrong, or null. */
        volatile String failure;

        Reader(RawClient client, String name) {
            this.client = client;
            this.name = name;
            this.thread = new Thread(this, name + "-reader");
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (failure == null) {
                    WireFrame frame = WireFrame.parse(WireFrame.readBytes(client.input()));
                    long now = System.nanoTime();
                    if (frame.opcode() != 0x1 || !frame.fin()) {
                        failure = name + " got a frame with opcode " + frame.opcode() + " (FIN " + frame.fin() + ')';
                    } else {
                        arrived(new String(frame.payload(), StandardCharsets.UTF_8), now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!stopping) {
                    failure = name + " lost its connection: " + e;
                }
            }
        }

        /** How long ago the next message due was sent, if it is timed and has been sent; else 0. */
        long pendingAge() {
            int due = next;
            return due >= warmUp && due < sent.get() ? System.nanoTime() - sentAt.get(due) : 0;
        }

        long worstOrPending() {
            return Math.max(worstNanos, pendingAge());
        }

        private void arrived(String text, long now) {
            if (!text.startsWith(relayPrefix)) {
                return; // joins and leaves
            }
            int n = Integer.parseInt(text.substring(relayPrefix.length(), text.indexOf(' ', relayPrefix.length())));
            if (n != next) {
                failure = name + " got message #" + n + " when #" + next + " was due";
                return;
            }
            next = n + 1;
            if (n < warmUp) {
                return;
            }
            long latency = now - sentAt.get(n);
            if (latency > bound.toNanos()) {
                late++;
            }
            if (latency > worstNanos) {
                worstNanos = latency;
                worstMessage = n;
            }
        }
    }
}
