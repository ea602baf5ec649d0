package dev.wsnetty.netty.hostile;

import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that go quiet after the opening handshake: silent ones (they send nothing more) and slow readers (they
 * send, but read nothing of what the server sends back). Silent connections before the handshake are in
 * {@link HandshakeAttackTest}.
 *
 * <p>The single slow reader whose write times out, and whose connection works again once it reads, is in
 * {@code FlowControlTest}; here many of them at once, with the server's memory for them bounded.
 */
@Tag(Hostile.TAG)
class SilentAndSlowPeerTest {
    private static final int SILENT = Hostile.size(20, 500);
    private static final int SLOW_READERS = Hostile.size(4, 100);
    /** What each slow reader sends: 4 MiB of 64 KiB messages (64 MiB under the profile). */
    private static final long SLOW_READER_BYTES = Hostile.size(4, 64) * (1L << 20);
    /**
     * What the server may hold on its way out to one slow reader: the write buffer high water mark (64 KiB), past
     * which writers wait, plus the one 64 KiB message a writer hands over before it waits, with room to spare.
     */
    private static final long OUTBOUND_BOUND = 256 * 1024;

    /**
     * With the defaults (no idle timeout, no keep-alive pings) a silent connection is not an attack the server can
     * tell from a quiet client: it stays open, costing its socket and handler thread, and ends when the peer goes
     * (the server's end is 1006, no Close frame). {@code idleTimeout} or {@code pingInterval} bound it; see below.
     */
    @Test
    void silentConnectionsStayOpenUntilThePeerGoesWithTheDefaults() throws Exception {
        try (AttackedServer server = AttackedServer.start()) {
            List<RawClient> silent = connect(server, SILENT);
            // Past every deadline of the suite: none applies to a connection that sends nothing after its 101.
            Await.until("every silent connection has its handler", () -> server.server().connectionCount() >= SILENT);
            server.assertServed();
            LockSupport.parkNanos(AttackedServer.MESSAGE_TIMEOUT.toNanos()); // the absence of a close is the result
            assertEquals(SILENT, server.server().connectionCount(), "the silent connections are all still open");
            for (RawClient client : silent) {
                client.close();
            }
            for (int i = 0; i < SILENT; i++) {
                assertEquals(1006, server.nextEnd().code(), "a peer that went without a Close frame");
            }
            server.assertReleased();
        }
    }

    /** With an idle timeout, silent connections get Close 1001 "idle timeout" and then the end of the connection. */
    @Test
    void silentConnectionsGet1001AtTheIdleTimeout() throws Exception {
        try (AttackedServer server = AttackedServer.start(config -> config.idleTimeout(Duration.ofMillis(300)))) {
            assertSilentConnectionsClosed(server, "1001 idle timeout");
        }
    }

    /**
     * With keep-alive pings, a peer that reads nothing answers none: 1011 "keepalive ping timeout" at the pong
     * timeout, then the end of the connection.
     */
    @Test
    void silentConnectionsThatAnswerNoPingGet1011AtThePongTimeout() throws Exception {
        try (AttackedServer server = AttackedServer.start(config -> config.pingInterval(Duration.ofMillis(200))
                .pongTimeout(Duration.ofMillis(300)))) {
            assertSilentConnectionsClosed(server, "1011 keepalive ping timeout");
        }
    }

    /**
     * Slow readers: each sends {@link #SLOW_READER_BYTES} of messages to the echo and reads nothing. The echo's
     * writes wait at the write buffer's high water mark, so the server holds at most {@link #OUTBOUND_BOUND} for each
     * on the way out, and its handler takes no more messages, so the inbound queue pauses reading; after the write
     * timeout the handler ends with 1011 (one rate-limited warning for all of them). Since a peer that reads nothing
     * cannot see a Close frame, the answer is at the TCP level: the server closes the connection at the close
     * timeout, whatever the client does.
     */
    @ParameterizedTest(name = "{0} handlers")
    @EnumSource(HandlerKind.class)
    void slowReadersAreBoundedAndClosedAfterTheWriteTimeout(HandlerKind kind) throws Exception {
        try (AttackedServer server = AttackedServer.start(kind);
             LogCapture log = new LogCapture("dev.wsnetty", Level.WARNING)) {
            List<RawClient> readers = new ArrayList<>();
            List<Attacks.Flood> floods = new ArrayList<>();
            List<Channel> channels = new ArrayList<>();
            byte[] message = Frames.client(Frames.BINARY, new byte[64 * 1024]);
            try {
                for (int i = 0; i < SLOW_READERS; i++) {
                    RawClient reader = RawClient.connect(server.port(), s -> receiveBuffer(s, 4096))
                            .upgrade(AttackedServer.ECHO);
                    readers.add(reader);
                    channels.add(server.nextConnection().channel());
                    AtomicLong left = new AtomicLong(SLOW_READER_BYTES);
                    floods.add(new Attacks.Flood(reader, () -> left.addAndGet(-message.length) >= 0 ? message : null));
                }
                long most = 0;
                boolean served = false;
                while (server.server().connectionCount() > 0) {
                    for (Channel channel : channels) {
                        most = Math.max(most, Attacks.outboundBytes(channel));
                    }
                    if (!served) {
                        server.assertServed();
                        served = true;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a sampling pace, not a wait
                }
                System.out.printf("%d slow readers: the server held at most %,d bytes on the way out to one%n",
                        SLOW_READERS, most);
                assertTrue(most <= OUTBOUND_BOUND, "held " + most + " bytes for a slow reader; bound "
                        + OUTBOUND_BOUND);
                for (RawClient reader : readers) {
                    Attacks.assertEndedByServer(reader);
                }
            } finally {
                floods.forEach(Attacks.Flood::close);
                readers.forEach(RawClient::reset);
            }
            server.assertReleased();
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), log.describe());
            assertTrue(warnings.get(0).contains("with 1011"), warnings.get(0));
        }
    }

    /**
     * Slow closers: once the server has sent its Close (for a violation, or at the idle timeout), the peer keeps
     * the connection busy with a byte every 100 ms (zero bytes after the violation, which the server reads and
     * discards, after half-closing its side; its own Close frame, too slowly, after the idle timeout). The server
     * waits for the peer's Close at most the close timeout, then closes TCP (TCP level: the peer's next write
     * fails).
     */
    @ParameterizedTest(name = "after {0}")
    @ValueSource(strings = {"a violation", "the idle timeout"})
    void peersDribblingAfterTheServersCloseAreCutOffAtTheCloseTimeout(String after) throws Exception {
        boolean violation = after.equals("a violation");
        try (AttackedServer server = AttackedServer.start(
                config -> violation ? config : config.idleTimeout(Duration.ofMillis(300)))) {
            List<RawClient> closers = new ArrayList<>();
            List<Attacks.Flood> dribbles = new ArrayList<>();
            try {
                for (int i = 0; i < SILENT; i++) {
                    closers.add(RawClient.upgrade(server.port(), AttackedServer.ECHO));
                }
                byte[] dribbled = violation ? new byte[1] : Frames.client(Frames.CLOSE, Frames.closePayload(1000, ""));
                for (RawClient closer : closers) {
                    if (violation) {
                        closer.send(Frames.unmaskedClient(Frames.TEXT, new byte[0]));
                    }
                    String expected = violation ? "1002 client frame is not masked" : "1001 idle timeout";
                    assertEquals(expected, Attacks.close(closer));
                    AtomicLong at = new AtomicLong();
                    dribbles.add(new Attacks.Flood(closer, () -> dribble(dribbled, at)));
                }
                long start = System.nanoTime();
                server.assertServed();
                // The server closes TCP with the dribble still coming: the dribbler's writes fail (a reset).
                for (Attacks.Flood dribble : dribbles) {
                    dribble.awaitEnd();
                    assertTrue(dribble.endedByServer(), "the server closed the connection");
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < AttackedServer.CLOSE_TIMEOUT.toMillis() + 2000, "ended after " + millis + " ms");
                for (RawClient closer : closers) {
                    Attacks.assertEndedByServer(closer);
                }
            } finally {
                dribbles.forEach(Attacks.Flood::close);
                closers.forEach(RawClient::reset);
            }
            server.assertReleased();
        }
    }

    /** The next byte of {@code bytes} (the last one over and over) after a 100 ms pause. */
    private static byte[] dribble(byte[] bytes, AtomicLong at) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // the pace of the attack, not a wait for a result
        return new byte[] {bytes[(int) Math.min(bytes.length - 1, at.getAndIncrement())]};
    }

    private static void assertSilentConnectionsClosed(AttackedServer server, String expected) throws Exception {
        List<RawClient> silent = connect(server, SILENT);
        try {
            server.assertServed();
            for (RawClient client : silent) {
                assertEquals(expected, Attacks.close(client));
                Attacks.assertEndedByServer(client);
            }
            for (int i = 0; i < SILENT; i++) {
                assertEquals(Integer.parseInt(expected.substring(0, 4)), server.nextEnd().code());
            }
        } finally {
            silent.forEach(RawClient::reset);
        }
        server.assertReleased();
    }

    private static List<RawClient> connect(AttackedServer server, int n) throws Exception {
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(RawClient.upgrade(server.port(), AttackedServer.ECHO));
        }
        return clients;
    }

    private static void receiveBuffer(Socket socket, int bytes) {
        try {
            socket.setReceiveBufferSize(bytes);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }
}
