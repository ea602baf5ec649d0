package dev.wsnetty.netty.hostile;

import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static dev.wsnetty.netty.testing.Frames.BINARY_FIRST;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Floods of small frames that break no rule one by one: endless continuation frames of one message, and pings
 * from a client that never reads the pongs. Each flood is sent as fast as the socket takes it from a thread of
 * its own while the test reads the answer and serves a normal client.
 *
 * <p>The exact frame-count limit (100 frames pass, 101 fail) and the message deadline with trickled fragments are in
 * {@code ServerUnfinishedInputTest}, against the frame pipeline.
 */
@Tag(Hostile.TAG)
class FloodAttackTest {
    /** The pings one flood sends: 12 MiB of them (256 MiB under the profile). */
    private static final long PING_FLOOD_BYTES = Hostile.size(12, 256) * (1L << 20);
    /**
     * What the server may hold in its outbound buffer for a client that reads nothing while it pings: the channel's
     * write buffer high water mark (64 KiB), which stops the pongs, plus the pongs of one read batch written before
     * the buffer saw them (a batch is at most 16 reads of 64 KiB of pings), with room to spare.
     */
    private static final long PONG_BOUND = 2L << 20;
    /**
     * The pong bytes the client may receive in all: {@link #PONG_BOUND} plus what the kernel held (the server's send
     * buffer grows to 4 MiB on Linux, the client's receive buffer is 4 KiB), with room to spare; a server that
     * answered every ping would send a pong per ping, {@link #PING_FLOOD_BYTES} of them.
     */
    private static final long PONGS_SENT_BOUND = 7L << 20;
    /**
     * The empty pongs a handler's queue may hold: its high mark (256 messages by default) plus those of the one read
     * (at most 64 KiB, 6 bytes each) decoded after reading was paused, with room to spare.
     */
    private static final int QUEUED_PONGS_BOUND = 256 + 2 * 65536 / 6;

    /**
     * Empty continuation frames without end: 1008 at the 4097th frame of the message (the default
     * {@code maxFramesPerMessage}), although the flood goes on; the server ends the connection.
     */
    @Test
    void endlessContinuationFramesGet1008AtTheFrameCount() throws Exception {
        try (AttackedServer server = AttackedServer.start()) {
            assertFragmentFloodRefused(server, "1008 message of more than 4096 frames");
        }
    }

    /**
     * The same flood against a server that allows any number of frames per message: the message deadline (1 s here,
     * 60 s by default) ends it with 1008.
     */
    @Test
    void endlessContinuationFramesWithoutAFrameLimitGet1008AtTheMessageTimeout() throws Exception {
        try (AttackedServer server = AttackedServer.start(config -> config.maxFramesPerMessage(Integer.MAX_VALUE))) {
            assertFragmentFloodRefused(server, "1008 fragmented message not complete within 1 s");
        }
    }

    /**
     * Pings as fast as the socket takes them ({@link #PING_FLOOD_BYTES}) from a client with a 4 KiB receive buffer
     * that reads nothing, then a text message: the server reads them all (pings are legal) but holds at most
     * {@link #PONG_BOUND} of pongs for the client, since while it cannot write it remembers only the latest ping.
     * Once the server has the text message, the client reads: far fewer pongs than pings (at most what the kernel's
     * buffers held besides), the last one answering the last ping; then the closing handshake completes. Against
     * the blocking-API server (its handler holds the text message).
     */
    @Test
    void aPingFloodFromAClientThatDoesNotReadBuffersBoundedPongs() throws Exception {
        try (AttackedServer server = AttackedServer.start()) {
            AttackedServer.Connection[] connection = new AttackedServer.Connection[1];
            pingFlood(server.port(), AttackedServer.HOLD, () -> (connection[0] = server.nextConnection()).channel(),
                    () -> connection[0].communicator().hasMessages(), server::assertServed);
            assertEquals(1000, server.nextEnd().code());
            server.assertReleased();
        }
    }

    /** The same ping flood against the frame pipeline (the pongs are the protocol handler's alike). */
    @Test
    void aPingFloodAgainstTheFramePipelineBuffersBoundedPongs() throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.start(echo, AttackedServer.CONFIG)) {
            EchoEndpoint.Connection[] connection = new EchoEndpoint.Connection[1];
            pingFlood(server.port(), "/", () -> (connection[0] = echo.nextConnection()).channel(), () -> {
                connection[0].messages().next();
                return true;
            }, () -> { });
            assertEquals(1000, connection[0].closeEvents().next().code());
            Await.until("the connection is closed", () -> !connection[0].channel().isOpen());
        }
    }

    /**
     * Empty pongs nobody asked for, as fast as the socket takes them, to a handler that takes no message: each is a
     * message for the handler's queue, and costs nothing against the byte limits; the queue's count limit pauses
     * reading (the flood stalls) with at most the queue's high mark plus one read of empty pongs queued. A reset
     * releases them all.
     */
    @Test
    void aPongFloodToAHandlerThatTakesNothingPausesReading() throws Exception {
        byte[] pongs = Frames.client(Frames.PONG, new byte[0]);
        byte[] batch = new byte[pongs.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(pongs, 0, batch, i * pongs.length, pongs.length);
        }
        long total = PING_FLOOD_BYTES;
        AtomicLong left = new AtomicLong(total);
        try (AttackedServer server = AttackedServer.start()) {
            RawClient attacker = RawClient.upgrade(server.port(), AttackedServer.HOLD);
            try (Attacks.Flood flood = new Attacks.Flood(attacker,
                    () -> left.addAndGet(-batch.length) >= 0 ? batch : null)) {
                Communicator communicator = server.nextConnection().communicator();
                long stalledAt = Attacks.awaitStall(flood);
                server.assertServed();
                List<WebSocketMessage> queued = new ArrayList<>();
                communicator.getUnprocessedMessages(queued);
                System.out.printf("pong flood to a handler that takes nothing: the flood stalled after %,d of %,d"
                        + " bytes with %,d pongs queued%n", stalledAt, total, queued.size());
                assertTrue(stalledAt < total, "the server never stopped reading");
                assertTrue(queued.size() <= QUEUED_PONGS_BOUND, queued.size() + " pongs queued");
            } finally {
                attacker.reset();
            }
            assertEquals(1006, server.nextEnd().code());
            server.assertReleased();
        }
    }

    private static void assertFragmentFloodRefused(AttackedServer server, String expected) throws Exception {
        byte[] continuations = continuations(1000);
        // The message's first frame goes with the handshake, before the flood of its continuations.
        try (RawClient attacker = RawClient.upgrade(server.port(), AttackedServer.ECHO,
                Frames.client(BINARY_FIRST, new byte[0]));
             Attacks.Flood flood = new Attacks.Flood(attacker, () -> continuations)) {
            server.assertServed();
            assertEquals(expected, Attacks.close(attacker));
            Attacks.assertEndedByServer(attacker);
            flood.awaitEnd();
            assertTrue(flood.endedByServer(), "the flood went on until the server ended the connection");
            System.out.printf("continuation flood: %s after %,d bytes of continuation frames%n", expected,
                    flood.sent());
        }
        assertEquals(1008, server.nextEnd().code());
        server.assertReleased();
    }

    /** {@code n} empty continuation frames, not final. */
    private static byte[] continuations(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] one = Frames.client(CONTINUATION, new byte[0]);
        for (int i = 0; i < n; i++) {
            out.writeBytes(one);
        }
        return out.toByteArray();
    }

    /**
     * Floods {@code path} with numbered 125-byte pings and then a text message, samples the server side's outbound
     * buffer until {@code serverHasText} and runs {@code normalClient} meanwhile; then reads the pongs, counting
     * them, up to the last ping's, and closes with 1000.
     */
    private static void pingFlood(int port, String path, Supplier<Channel> serverSide, BooleanSupplier serverHasText,
                                  ThrowingRunnable normalClient) throws Exception {
        AtomicLong pings = new AtomicLong();
        long total = PING_FLOOD_BYTES / 131; // a 125-byte ping is 131 bytes masked
        byte[] text = Frames.client(Frames.TEXT, Bytes.utf8("the last ping was sent"));
        try (RawClient attacker = RawClient.connect(port, socket -> receiveBuffer(socket, 4096)).upgrade(path);
             Attacks.Flood flood = new Attacks.Flood(attacker, () -> pings(pings, total, text))) {
            Channel channel = serverSide.get();
            AtomicLong most = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    most.accumulateAndGet(Attacks.outboundBytes(channel), Math::max);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a sampling pace, not a wait
                }
            }, "outbound-sampler");
            sampler.start();
            normalClient.run();
            flood.awaitEnd();
            assertFalse(flood.endedByServer(), "pings are legal: the server must not end the connection");
            Await.until("the server has read every ping and the text message", serverHasText);
            sampler.interrupt();
            sampler.join();

            // The client reads now: pongs, up to the one answering the last ping.
            byte[] last = ping(total - 1);
            long pongs = 0;
            WireFrame frame;
            do {
                frame = attacker.readFrame();
                pongs += frame.opcode() == 0xA ? 1 : 0;
            } while (frame.opcode() != 0xA || !Bytes.hex(last).equals(Bytes.hex(frame.payload())));
            System.out.printf("ping flood of %,d pings from a client that does not read: the server held at most"
                    + " %,d bytes of pongs and sent %,d pongs%n", total, most.get(), pongs);
            assertTrue(most.get() <= PONG_BOUND, "the server held " + most.get() + " bytes of pongs; bound "
                    + PONG_BOUND);
            assertTrue(pongs * 127 <= PONGS_SENT_BOUND, pongs + " pongs for " + total + " pings");
            attacker.sendClose(1000, "");
            assertEquals(1000, attacker.readUntilClose().closeCode());
        }
    }

    /** The next 100 numbered pings; once {@code total} were sent, {@code last}; then null. */
    private static byte[] pings(AtomicLong sent, long total, byte[] last) {
        if (sent.get() >= total) {
            return sent.getAndIncrement() == total ? last : null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 100 && sent.get() < total; i++) {
            out.writeBytes(Frames.client(Frames.PING, ping(sent.getAndIncrement())));
        }
        return out.toByteArray();
    }

    /** The payload of ping number {@code n}: its number, then filler up to 125 bytes. */
    private static byte[] ping(long n) {
        return ByteBuffer.allocate(125).putLong(n).array();
    }

    private static void receiveBuffer(Socket socket, int bytes) {
        try {
            socket.setReceiveBufferSize(bytes);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A step of a test that may throw. */
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
