package dev.wsnetty.netty.hostile;

import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the opening handshake of a {@link dev.wsnetty.netty.server.WebSocketServer}: connections that send
 * nothing, requests dribbled a byte at a time (slowloris), and header floods. Each gets its HTTP answer with a
 * reason, a normal client is served while the attack runs, and nothing is left once it is over.
 *
 * <p>The exact refusals at the limits (a request line of 101 bytes against a limit of 100, headers just over 8192
 * bytes, a partial request at the timeout) are in {@code HandshakeRefusalTest} and {@code HandshakeTimeoutTest},
 * against the handshake handler alone; here they come by the many, against the whole server.
 */
@Tag(Hostile.TAG)
class HandshakeAttackTest {
    private static final int CONNECTIONS = Hostile.size(20, 500);
    /** Header floods at once. */
    private static final int FLOODS = 4;
    private static final String TIMEOUT_408 = "408 Request Timeout: The WebSocket handshake request did not arrive"
            + " within " + AttackedServer.HANDSHAKE_TIMEOUT.toMillis() + " ms";

    private final AttackedServer server = AttackedServer.start();
    private final List<RawClient> attackers = new ArrayList<>();

    @AfterEach
    void stop() {
        attackers.forEach(RawClient::reset);
        server.close();
    }

    /** Connections that send nothing get 408 at the handshake timeout, then the end of the stream. */
    @Test
    void silentConnectionsGet408AtTheHandshakeTimeout() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < CONNECTIONS; i++) {
            attackers.add(RawClient.connect(server.port()));
        }
        server.assertServed();
        for (RawClient attacker : attackers) {
            assertEquals(TIMEOUT_408, Attacks.refusal(attacker));
            Attacks.assertEndedByServer(attacker);
        }
        assertNotBefore(start);
        server.assertReleased();
    }

    /**
     * Slowloris: each connection sends a valid request one byte every 20 ms (it would take over 4 s). The handshake
     * timeout counts from the connection, not from the last byte: 408 at 500 ms, while the bytes still come.
     */
    @Test
    void requestsDribbledByteByByteGet408AtTheHandshakeTimeout() throws Exception {
        byte[] request = server.request(AttackedServer.NORMAL).header("X-Padding", "p".repeat(100)).toString()
                .getBytes(StandardCharsets.ISO_8859_1);
        long start = System.nanoTime();
        for (int i = 0; i < CONNECTIONS; i++) {
            attackers.add(RawClient.connect(server.port()));
        }
        AtomicLong dribbled = new AtomicLong();
        Thread dribbler = new Thread(() -> dribble(request, dribbled), "slowloris");
        dribbler.setDaemon(true);
        dribbler.start();
        try {
            server.assertServed();
            for (RawClient attacker : attackers) {
                assertEquals(TIMEOUT_408, Attacks.refusal(attacker));
                Attacks.assertEndedByServer(attacker);
            }
            assertNotBefore(start);
            assertTrue(dribbled.get() >= CONNECTIONS, "the bytes kept coming: " + dribbled.get());
        } finally {
            dribbler.interrupt();
            dribbler.join();
        }
        server.assertReleased();
    }

    /** A header line of 1 MiB (in the default suite; 64 MiB under the profile) gets 431 after 8192 bytes. */
    @Test
    void aHugeHeaderLineGets431() throws Exception {
        String head = server.request(AttackedServer.NORMAL).toString();
        byte[] start = (head.substring(0, head.length() - 2) + "X-Flood: ").getBytes(StandardCharsets.ISO_8859_1);
        byte[] filler = "f".repeat(64 * 1024).getBytes(StandardCharsets.ISO_8859_1);
        assertFloodRefused(start, filler, "431 Request Header Fields Too Large: Request headers larger than 8192"
                + " bytes");
    }

    /** Very many small headers (1 MiB of them, 64 MiB under the profile): 431 after 8192 bytes. */
    @Test
    void veryManyHeadersGet431() throws Exception {
        String head = server.request(AttackedServer.NORMAL).toString();
        byte[] start = head.substring(0, head.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
        byte[] filler = "X: y\r\n".repeat(10_000).getBytes(StandardCharsets.ISO_8859_1);
        assertFloodRefused(start, filler, "431 Request Header Fields Too Large: Request headers larger than 8192"
                + " bytes");
    }

    /** A request line of 1 MiB (64 MiB under the profile): 414 after 4096 bytes. */
    @Test
    void aHugeRequestLineGets414() throws Exception {
        byte[] start = "GET /".getBytes(StandardCharsets.ISO_8859_1);
        byte[] filler = "a".repeat(64 * 1024).getBytes(StandardCharsets.ISO_8859_1);
        assertFloodRefused(start, filler, "414 Request-URI Too Long: Request line longer than 4096 bytes");
    }

    /**
     * A handshake request that announces a body of 10^12 bytes and sends 1 MiB of it (64 MiB under the profile): the
     * body is read and dropped (a handshake's body means nothing), and the handshake timeout ends the wait with 408.
     */
    @Test
    void anEndlessRequestBodyGets408AtTheHandshakeTimeout() throws Exception {
        String head = server.request(AttackedServer.NORMAL).toString();
        byte[] start = (head.substring(0, head.length() - 2) + "Content-Length: 1000000000000\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertFloodRefused(start, new byte[64 * 1024], TIMEOUT_408);
    }

    /** The same with a chunked body whose chunks keep coming. */
    @Test
    void endlessRequestChunksGet408AtTheHandshakeTimeout() throws Exception {
        String head = server.request(AttackedServer.NORMAL).toString();
        byte[] start = (head.substring(0, head.length() - 2) + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] chunk = ("1000\r\n" + "c".repeat(0x1000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertFloodRefused(start, chunk, TIMEOUT_408);
    }

    /**
     * Sends {@code start}, then {@code filler} over and over (1 MiB in all, 64 MiB under the profile) from
     * {@value #FLOODS} connections at once; each gets {@code expected}, then the end of the connection.
     */
    private void assertFloodRefused(byte[] start, byte[] filler, String expected) throws Exception {
        long total = Hostile.size(1, 64) * (1L << 20);
        List<Attacks.Flood> floods = new ArrayList<>();
        try {
            for (int i = 0; i < FLOODS; i++) {
                RawClient attacker = RawClient.connect(server.port());
                attackers.add(attacker);
                attacker.send(start);
                AtomicLong left = new AtomicLong(total);
                floods.add(new Attacks.Flood(attacker, () -> left.addAndGet(-filler.length) >= 0 ? filler : null));
            }
            server.assertServed();
            for (RawClient attacker : attackers) {
                assertEquals(expected, Attacks.refusal(attacker));
                Attacks.assertEndedByServer(attacker);
            }
            for (Attacks.Flood flood : floods) {
                flood.awaitEnd();
            }
        } finally {
            floods.forEach(Attacks.Flood::close);
        }
        server.assertReleased();
    }

    /** Sends one more byte of {@code request} on every attacker every 20 ms, until interrupted or all are gone. */
    private void dribble(byte[] request, AtomicLong dribbled) {
        try {
            for (int at = 0; at < request.length; at++) {
                boolean anyOpen = false;
                for (RawClient attacker : attackers) {
                    try {
                        OutputStream out = attacker.socket().getOutputStream();
                        out.write(request[at]);
                        out.flush();
                        dribbled.incrementAndGet();
                        anyOpen = true;
                    } catch (IOException e) {
                        // This one was answered and closed.
                    }
                }
                if (!anyOpen) {
                    return;
                }
                Thread.sleep(20); // the pace of the attack, not a wait for a result
            }
        } catch (InterruptedException e) {
            // The test is over.
        }
    }

    /** The 408s did not come before the handshake timeout (a timer never fires early). */
    private static void assertNotBefore(long start) {
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed >= AttackedServer.HANDSHAKE_TIMEOUT.toMillis(), "answered after " + elapsed + " ms");
    }
}
