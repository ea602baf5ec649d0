package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.internal.Durations;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.WireFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.BINARY_FIRST;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION_LAST;
import static dev.wsnetty.netty.testing.Frames.TEXT_FIRST;
import static dev.wsnetty.netty.testing.Frames.client;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, point 2, over real sockets: a frame or a fragmented message that is not complete within its deadline
 * after its first byte ({@link WebSocketConfig#frameTimeout()}, {@link WebSocketConfig#messageTimeout()}) closes
 * the connection with 1008 and a reason, although the peer keeps sending (so the idle timeout, off by default,
 * would not help); a message of more frames than {@link WebSocketConfig#maxFramesPerMessage()} closes it with 1008.
 * The deadlines are short here; {@link #defaultsAreOn} checks the defaults. Where a test asserts that the close did
 * not come too early, the bound is exact (a timer never fires before its delay).
 */
class ServerUnfinishedInputTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private final EchoEndpoint echo = new EchoEndpoint();
    private final List<Trickle> trickles = new ArrayList<>();
    private TestServer server;

    @AfterEach
    void stop() {
        trickles.forEach(Trickle::interrupt);
        server.close();
    }

    /** A 1 MiB frame trickled in: closed with 1008 once the frame timeout has passed since its first byte. */
    @Test
    void aTrickledFrameIsClosedWith1008AtTheFrameTimeout() throws Exception {
        server = TestServer.start(echo, WebSocketConfig.builder().frameTimeout(SHORT).build());
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            long start = System.nanoTime();
            trickle(client, client(BINARY, 64, 1 << 20, new byte[0]), 100);
            WireFrame close = client.readUntilClose();
            assertTrue(System.nanoTime() - start >= SHORT.toNanos(), "closed before the frame timeout");
            assertEquals(1008, close.closeCode());
            assertEquals("frame not complete within 300 ms", close.closeReason());
        }
    }

    /** Small frames of one message, each complete, trickled in: closed with 1008 at the message timeout. */
    @Test
    void aTrickledFragmentedMessageIsClosedWith1008AtTheMessageTimeout() throws Exception {
        server = TestServer.start(echo, WebSocketConfig.builder().messageTimeout(SHORT).build());
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            long start = System.nanoTime();
            client.send(client(TEXT_FIRST, "a".getBytes(StandardCharsets.UTF_8)));
            Trickle fragments = new Trickle(client, () -> client(CONTINUATION, "b".getBytes(StandardCharsets.UTF_8)));
            trickles.add(fragments);
            fragments.start();
            WireFrame close = client.readUntilClose();
            assertTrue(System.nanoTime() - start >= SHORT.toNanos(), "closed before the message timeout");
            assertEquals(1008, close.closeCode());
            assertEquals("fragmented message not complete within 300 ms", close.closeReason());
            assertTrue(fragments.sent > 1, "the fragments kept coming");
        }
    }

    /** A message that completes within the deadlines is not affected by them, however many reads it took. */
    @Test
    void framesAndMessagesCompletedInTimeAreEchoed() throws Exception {
        server = TestServer.start(echo, WebSocketConfig.builder().frameTimeout(Duration.ofSeconds(5))
                .messageTimeout(Duration.ofSeconds(5)).build());
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            byte[] frame = client(BINARY, new byte[40_000]);
            for (int at = 0; at < frame.length; at += 10_000) {
                client.send(Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 10_000)));
                client.socket().getOutputStream().flush();
            }
            WireFrame reply = client.readFrame();
            assertEquals(2, reply.opcode());
            assertArrayEquals(new byte[40_000], reply.payload());
        }
    }

    /** More continuation frames than {@code maxFramesPerMessage}: closed with 1008 at the first one too many. */
    @Test
    void aMessageOfTooManyFramesIsClosedWith1008() throws Exception {
        server = TestServer.start(echo, WebSocketConfig.builder().maxFramesPerMessage(100).build());
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            // Exactly 100 frames pass.
            client.send(message(100));
            WireFrame reply = client.readFrame();
            assertEquals(2, reply.opcode());
            assertEquals(0, reply.payload().length);
            client.send(message(101));
            WireFrame close = client.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertEquals("message of more than 100 frames", close.closeReason());
        }
    }

    /**
     * The deadlines and the frame count are on by default: 30 s for a frame, 60 s for a fragmented message, 4096
     * frames; a server with the default configuration refuses 5,000 empty continuation frames.
     */
    @Test
    void defaultsAreOn() throws Exception {
        assertEquals(Duration.ofSeconds(30), WebSocketConfig.DEFAULT.frameTimeout());
        assertEquals(Duration.ofSeconds(60), WebSocketConfig.DEFAULT.messageTimeout());
        assertEquals(4096, WebSocketConfig.DEFAULT.maxFramesPerMessage());
        server = TestServer.start(echo, WebSocketConfig.DEFAULT);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.send(message(5000));
            WireFrame close = client.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertEquals("message of more than 4096 frames", close.closeReason());
        }
    }

    /**
     * The attack: connections each trickling a 1 MiB frame at 1 KB/s. Each is closed with 1008 at the frame
     * timeout. Default suite: 20 connections, a 500 ms timeout; {@code hostile} profile: the default 30 s timeout.
     */
    @Test
    @Tag(Hostile.TAG)
    void manyTrickledFramesAreAllClosedAtTheFrameTimeout() throws Exception {
        Duration timeout = Hostile.large() ? WebSocketConfig.DEFAULT.frameTimeout() : Duration.ofMillis(500);
        server = TestServer.start(echo, WebSocketConfig.builder().frameTimeout(timeout).build());
        int connections = 20;
        List<RawClient> clients = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                RawClient client = RawClient.upgrade(server.port(), "/");
                clients.add(client);
                client.socket().setSoTimeout((int) (timeout.toMillis() + 10_000));
                trickle(client, client(BINARY, 64, 1 << 20, new byte[0]), 100); // 100 bytes every 100 ms: 1 KB/s
            }
            for (RawClient client : clients) {
                WireFrame close = client.readUntilClose();
                assertEquals(1008, close.closeCode());
                assertEquals("frame not complete within " + Durations.describe(timeout), close.closeReason());
            }
            System.out.printf("%d connections trickling a 1 MiB frame at 1 KB/s: all closed with 1008 after %.1f s"
                    + " (frame timeout %s)%n", connections, (System.nanoTime() - start) / 1e9, timeout);
        } finally {
            for (RawClient client : clients) {
                client.reset();
            }
        }
    }

    /** A message of {@code frames} empty binary frames: the first, then continuations, the last final. */
    private static byte[] message(int frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(client(BINARY_FIRST, new byte[0]));
        for (int i = 1; i < frames - 1; i++) {
            out.write(client(CONTINUATION, new byte[0]));
        }
        out.write(client(CONTINUATION_LAST, new byte[0]));
        return out.toByteArray();
    }

    /** Sends {@code header}, then {@code bytesPerStep} zero bytes every 100 ms until the connection fails. */
    private void trickle(RawClient client, byte[] header, int bytesPerStep) throws IOException {
        client.send(header);
        byte[] step = new byte[bytesPerStep];
        Trickle trickle = new Trickle(client, () -> step);
        trickles.add(trickle);
        trickle.start();
    }

    /** Writes what {@code next} gives every 100 ms (the trickling peer of the issue) until the socket fails. */
    private static final class Trickle extends Thread {
        private final RawClient client;
        private final Supplier<byte[]> next;
        volatile int sent;

        Trickle(RawClient client, Supplier<byte[]> next) {
            super("trickle");
            setDaemon(true);
            this.client = client;
            this.next = next;
        }

        @Override
        public void run() {
            try {
                OutputStream out = client.socket().getOutputStream();
                while (!isInterrupted()) {
                    out.write(next.get());
                    out.flush();
                    sent++;
                    Thread.sleep(100); // the pace of the attack, not a wait for a result
                }
            } catch (IOException | InterruptedException e) {
                // the server closed the connection, or the test is over
            }
        }
    }
}
