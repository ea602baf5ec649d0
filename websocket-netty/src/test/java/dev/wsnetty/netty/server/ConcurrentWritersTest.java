package dev.wsnetty.netty.server;

import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.netty.testing.WireFrame;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many threads writing to one communicator at once, whole messages and fragmented streams, with pings in
 * between: on the wire the frames of different messages never interleave (the original's per-frame lock let
 * them, B10), and every message arrives intact and in its writer's order.
 */
class ConcurrentWritersTest {
    private static final int WRITERS = 8;
    private static final int MESSAGES_PER_WRITER = 100;

    @Test
    void framesOfDifferentMessagesNeverInterleave() throws Exception {
        try (WebSocketServerFixture s = WebSocketServerFixture.builder().kind(HandlerKind.THREADED).start();
             RawClient client = RawClient.upgrade(s.port(), "/")) {
            Communicator c = s.next();
            CountDownLatch go = new CountDownLatch(1);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(new Thread(() -> {
                    try {
                        go.await();
                        for (int seq = 0; seq < MESSAGES_PER_WRITER; seq++) {
                            write(c, writer, seq);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }, "writer-" + w));
            }
            AtomicBoolean pinging = new AtomicBoolean(true);
            Thread pinger = new Thread(() -> {
                try {
                    go.await();
                    while (pinging.get()) {
                        c.ping("between");
                        Thread.yield();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "pinger");
            writers.forEach(Thread::start);
            pinger.start();
            go.countDown();

            Map<Integer, Integer> nextSeq = new HashMap<>();
            int messages = 0;
            int pings = 0;
            ByteArrayOutputStream current = null;
            while (messages < WRITERS * MESSAGES_PER_WRITER) {
                WireFrame f = client.readFrame();
                if (f.opcode() == 0x9) {
                    pings++;
                    continue;
                }
                if (f.opcode() == 0x0) {
                    if (current == null) {
                        fail("continuation frame outside a message");
                    }
                } else {
                    assertEquals(0x1, f.opcode(), "unexpected opcode");
                    if (current != null) {
                        fail("a new message started inside another one: frames interleaved");
                    }
                    current = new ByteArrayOutputStream();
                }
                current.writeBytes(f.payload());
                if (f.fin()) {
                    String text = current.toString(StandardCharsets.UTF_8);
                    current = null;
                    messages++;
                    String[] parts = text.split(":", 3);
                    int writer = Integer.parseInt(parts[0]);
                    int seq = Integer.parseInt(parts[1]);
                    assertEquals(nextSeq.getOrDefault(writer, 0), seq, "writer " + writer + " out of order");
                    nextSeq.put(writer, seq + 1);
                    assertEquals(body(writer, seq), parts[2], "message " + writer + ":" + seq + " damaged");
                }
            }
            pinging.set(false);
            for (Thread t : writers) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            pinger.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(List.of(), failures);
            assertTrue(pings > 0, "the pinger sent nothing while the writers ran");
        }
    }

    /** Even messages whole, odd ones as a stream of 7-byte fragments written in small pieces. */
    private static void write(Communicator c, int writer, int seq) {
        String text = writer + ":" + seq + ":" + body(writer, seq);
        if (seq % 2 == 0) {
            c.writeStringMessage(text);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (MessageOutputStream out = c.writeMessage(MessageType.STRING, 7)) {
            for (int i = 0; i < bytes.length; i += 5) {
                out.write(bytes, i, Math.min(5, bytes.length - i));
                Thread.yield(); // let other writers try to get in between
            }
        }
    }

    private static String body(int writer, int seq) {
        return ("w" + writer + "s" + seq + "-").repeat(1 + (seq % 5));
    }
}
