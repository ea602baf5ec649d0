package dev.wsnetty.netty.hostile;

import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the attack tests share: reading the server's answer, and a flood of bytes sent from a thread of its own. */
final class Attacks {
    private Attacks() {
    }

    /**
     * Reads an HTTP refusal (head and the body its {@code Content-Length} announces) and returns it as
     * {@code "431 Request Header Fields Too Large: <body>"}, after checking that it closes the connection.
     */
    static String refusal(RawClient client) throws IOException {
        String head = client.readHead();
        String status = head.substring("HTTP/1.1 ".length(), head.indexOf("\r\n"));
        assertTrue(head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), head);
        int at = head.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length: ") + "\r\ncontent-length: ".length();
        int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)));
        return status + ": " + client.readText(length);
    }

    /**
     * Reads frames until the server's Close and returns it as {@code "1009 <reason>"}; the frames before it (pongs,
     * echoes) are skipped.
     */
    static String close(RawClient client) throws IOException {
        WireFrame close = client.readUntilClose();
        return close.closeCode() + " " + close.closeReason();
    }

    /**
     * Waits until the server has ended the connection (its FIN, or a reset when unread bytes were still arriving),
     * reading and discarding what comes meanwhile, within {@link Await#DEADLINE}.
     */
    static void assertEndedByServer(RawClient client) throws IOException {
        client.socket().setSoTimeout((int) Await.DEADLINE.toMillis());
        byte[] chunk = new byte[64 * 1024];
        try {
            while (client.input().read(chunk) >= 0) {
                // discarded: the test asserted the answer before
            }
        } catch (SocketTimeoutException e) {
            fail("the server did not end the connection within " + Await.DEADLINE.toMillis() + " ms");
        } catch (IOException e) {
            // A reset: the end of a connection whose peer was still sending.
        }
    }

    /**
     * The bytes written to {@code channel} and not yet handed to its socket, read on its event loop: what the server
     * buffers for the peer on its way out. 0 once the channel is closed.
     */
    static long outboundBytes(Channel channel) {
        try {
            return channel.eventLoop().submit(() -> {
                ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
                return buffer == null ? 0L : buffer.totalPendingWriteBytes();
            }).get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return 0; // the event loop is gone with the server
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("could not read the outbound buffer of " + channel, e);
        }
    }

    /**
     * Waits until {@code flood} has not got a byte further for 300 ms (the socket takes no more: the server stopped
     * reading) and returns the bytes it sent; fails the test if it ends or keeps going for {@link Await#DEADLINE}.
     */
    static long awaitStall(Flood flood) {
        long deadline = System.nanoTime() + Await.DEADLINE.toNanos();
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() - deadline < 0 && flood.isAlive()) {
            long now = flood.sent();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(300)) {
                return now;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a sampling pace, not a wait for a result
        }
        return fail("the flood did not stall: " + (flood.isAlive() ? "still going after " + Await.DEADLINE.toMillis()
                + " ms" : "it ended after " + flood.sent() + " bytes"));
    }

    /**
     * A thread that writes what {@code next} gives, as fast as the socket takes it, until the socket fails (the
     * server closed it), {@code next} returns null or the test closes it. Counts the bytes written.
     */
    static final class Flood extends Thread implements AutoCloseable {
        private final OutputStream out;
        private final Supplier<byte[]> next;
        private final AtomicLong sent = new AtomicLong();
        private volatile IOException ended;

        Flood(RawClient client, Supplier<byte[]> next) throws IOException {
            super("flood");
            setDaemon(true);
            this.out = client.socket().getOutputStream();
            this.next = next;
            start();
        }

        @Override
        public void run() {
            try {
                byte[] bytes;
                while (!isInterrupted() && (bytes = next.get()) != null) {
                    out.write(bytes);
                    sent.addAndGet(bytes.length);
                }
                out.flush();
            } catch (IOException e) {
                ended = e;
            }
        }

        /** The bytes written so far. */
        long sent() {
            return sent.get();
        }

        /** Whether the socket failed (the server ended the connection while the flood went on). */
        boolean endedByServer() {
            return ended != null;
        }

        /**
         * Waits for the flood to end by itself (its supplier ran out or the socket failed), up to
         * {@link Await#DEADLINE}, or 5 minutes for the large floods of the {@code hostile} profile.
         */
        void awaitEnd() throws InterruptedException {
            Duration limit = Hostile.large() ? Duration.ofMinutes(5) : Await.DEADLINE;
            join(limit.toMillis());
            assertTrue(!isAlive(), "the flood did not end within " + limit.toMillis() + " ms");
        }

        /** Stops the flood (the test is over). */
        @Override
        public void close() {
            interrupt();
        }
    }
}
