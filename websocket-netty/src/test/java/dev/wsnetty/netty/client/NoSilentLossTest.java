package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.testing.WireFrame;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A write that returned normally was handed to the socket; one that could not be sent threw
 * {@link WebSocketClosedException}. Our client writes text messages in a tight loop while the server sends a frame
 * with a reserved opcode, which makes the client fail the connection (Close 1002) on its event loop; the server
 * counts the data frames it receives before the client's Close. Over many trials, the writes that returned
 * normally must equal the frames received: none lost in the race between the failure and the queued writes.
 */
class NoSilentLossTest {
    private static final int TRIALS = 40;
    /** Frames the server reads before it sends the bad frame, so that the writer is in full swing. */
    private static final int BEFORE_BAD_FRAME = 50;
    /**
     * Makes each message about 1 KB: the socket buffers hold megabytes, which the server reads up to the Close,
     * and fewer, larger frames keep a trial short.
     */
    private static final String PADDING = " ".repeat(1000);

    @Test
    void everyWriteThatReturnedReachedThePeer() throws Exception {
        int lost = 0;
        int returned = 0;
        try (ScriptedServer server = ScriptedServer.start()) {
            WebSocketClient client = new WebSocketClient(URI.create("ws://127.0.0.1:" + server.port() + "/"));
            for (int trial = 0; trial < TRIALS; trial++) {
                CompletableFuture<Communicator> connecting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.connectOrThrow();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ScriptedServer.Exchange exchange = server.nextExchange();
                exchange.send(exchange.switching());
                Communicator c = connecting.get(10, TimeUnit.SECONDS);

                AtomicInteger sent = new AtomicInteger();
                AtomicReference<RuntimeException> refused = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        for (int i = 0; ; i++) {
                            c.writeStringMessage(i + PADDING);
                            sent.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        refused.set(e);
                    }
                }, "writer");
                writer.start();

                int received = 0;
                WireFrame frame;
                // Buffered: the frames are tiny and many, read one at a time they would take seconds.
                InputStream in = new BufferedInputStream(exchange.socket.getInputStream(), 1 << 16);
                while ((frame = WireFrame.read(in)).opcode() != 0x8) {
                    received++;
                    if (received == BEFORE_BAD_FRAME) {
                        exchange.send(Frames.server(0x80 | 3, new byte[0])); // reserved opcode 3: 1002
                    }
                }
                assertEquals(1002, frame.closeCode());
                writer.join(10_000);
                exchange.socket.close();
                assertInstanceOf(WebSocketClosedException.class, refused.get(), "the writer ended with");
                returned += sent.get();
                lost += sent.get() - received;
            }
        }
        System.out.println("writes that returned normally: " + returned + ", lost: " + lost + " in " + TRIALS
                + " trials");
        assertEquals(0, lost, "writes that returned normally but never reached the peer");
    }
}
