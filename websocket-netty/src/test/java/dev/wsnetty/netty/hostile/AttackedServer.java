package dev.wsnetty.netty.hostile;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import dev.wsnetty.netty.server.ServerConfig;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.channel.Channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server the hostile-client suite attacks: a {@link WebSocketServer} with the blocking API on 127.0.0.1 and a
 * free port, its deadlines shortened so that every attack ends within seconds, its own {@link InboundMemoryBudget}
 * (so that what it holds can be read) and a bound of {@link #HANDLER_THREADS} platform handler threads (so that a
 * leaked one shows as a refused handshake).
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>path</th><th>handler</th><th>for</th></tr>
 *   <tr><td>{@value #NORMAL}</td><td>plain handler, echoes</td><td>the normal client ({@link #assertServed()})</td></tr>
 *   <tr><td>{@value #ECHO}</td><td>echoes (plain handler, or threaded where a test asks); connections recorded</td><td>attackers</td></tr>
 *   <tr><td>{@value #HOLD}</td><td>takes no message and waits for the close; recorded</td>
 *       <td>attackers whose messages must stay queued</td></tr>
 * </table>
 *
 * <p>{@link #assertReleased()} is the suite's "no leak" check together with the leak detector (PARANOID, failing
 * the test through {@code LeakCheckExtension}): no connection left, the budget back to 0 bytes held, every
 * handler's code returned and every handler thread slot free again.
 */
final class AttackedServer implements AutoCloseable {
    /** The normal client's path. */
    static final String NORMAL = "/";
    /** The attackers' echo path. */
    static final String ECHO = "/echo";
    /** The attackers' path whose handler takes no message. */
    static final String HOLD = "/hold";

    static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    static final Duration FRAME_TIMEOUT = Duration.ofMillis(500);
    static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);
    static final Duration WRITE_TIMEOUT = Duration.ofMillis(500);
    /**
     * The bound on platform handler threads, above the most attacker connections a test holds at once (each has its
     * handler thread); {@link #assertReleased()} takes them all at once.
     */
    static final int HANDLER_THREADS = Hostile.size(48, 1100);
    /** The inbound memory budget of the server: large enough that no attack of the suite reaches it. */
    static final long BUDGET = Hostile.size(64, 512) * (1L << 20);
    /**
     * How long a normal client's whole exchange (handshake, two echoes, closing handshake) may take while an attack
     * runs: far above the milliseconds it takes, below anything an attack could make it wait for (the deadlines
     * above). The machine is a loaded 2-core one.
     */
    static final Duration SERVED_WITHIN = Duration.ofSeconds(5);

    /** The limits of the suite: the defaults but for shorter deadlines. */
    static final WebSocketConfig CONFIG = WebSocketConfig.builder()
            .handshakeTimeout(HANDSHAKE_TIMEOUT)
            .frameTimeout(FRAME_TIMEOUT)
            .messageTimeout(MESSAGE_TIMEOUT)
            .closeTimeout(CLOSE_TIMEOUT)
            .build();

    /** One upgraded attacker connection, server side. */
    record Connection(Communicator communicator, Channel channel) {
    }

    private final WebSocketServer server;
    private final InboundMemoryBudget budget = InboundMemoryBudget.of(BUDGET);
    /** Handler code running now, on every route. */
    private final AtomicInteger handlersRunning = new AtomicInteger();
    private final EventRecorder<Connection> connections = new EventRecorder<>("attacker connection");
    /** How each attacker connection ended, as its handler saw it once the connection closed. */
    private final EventRecorder<CloseStatus> ends = new EventRecorder<>("attacker connection's end");
    private int normalClients;

    private AttackedServer(WebSocketConfig config, HandlerKind kind) {
        server = new WebSocketServer("127.0.0.1", 0);
        server.setConfig(config);
        server.setInboundMemoryBudget(budget);
        server.setServerConfig(ServerConfig.builder().maxPlatformHandlerThreads(HANDLER_THREADS).build());
        server.setCommunicatorConfig(CommunicatorConfig.builder().writeTimeout(WRITE_TIMEOUT).build());
        server.registerHandler("*", NORMAL, handler(HandlerKind.PLAIN, false, false), true, true);
        server.registerHandler("*", ECHO, handler(kind, true, true), true, false);
        server.registerHandler("*", HOLD, handler(kind, true, false), true, false);
        server.bind();
    }

    /** The server with {@link #CONFIG}. */
    static AttackedServer start() {
        return new AttackedServer(CONFIG, HandlerKind.PLAIN);
    }

    /** The server with {@link #CONFIG}, the attackers' connections handled by handlers of this kind. */
    static AttackedServer start(HandlerKind kind) {
        return new AttackedServer(CONFIG, kind);
    }

    /** The server with {@link #CONFIG} changed by {@code change}. */
    static AttackedServer start(UnaryOperator<WebSocketConfig.Builder> change) {
        return start(HandlerKind.PLAIN, change);
    }

    /** The server with {@link #CONFIG} changed by {@code change}, the attackers' handlers of this kind. */
    static AttackedServer start(HandlerKind kind, UnaryOperator<WebSocketConfig.Builder> change) {
        return new AttackedServer(change.apply(CONFIG.toBuilder()).build(), kind);
    }

    int port() {
        return server.port();
    }

    WebSocketServer server() {
        return server;
    }

    InboundMemoryBudget budget() {
        return budget;
    }

    /** The next attacker connection upgraded on {@link #ECHO} or {@link #HOLD}, waiting for it. */
    Connection nextConnection() {
        return connections.next();
    }

    /** How the next attacker connection ended, waiting for it. */
    CloseStatus nextEnd() {
        return ends.next();
    }

    /** Every attacker connection's end recorded so far. */
    List<CloseStatus> endsSoFar() {
        return ends.takeAll();
    }

    /** A handshake request for {@code path} as the attackers send it. */
    UpgradeRequest request(String path) {
        return UpgradeRequest.to(path).header("Host", "127.0.0.1:" + port());
    }

    /**
     * A normal client is served now: a new connection completes its handshake, gets a text and a 64 KiB binary
     * message echoed and its Close 1000 answered, all within {@link #SERVED_WITHIN}.
     */
    void assertServed() throws IOException {
        int n = ++normalClients;
        long start = System.nanoTime();
        try (RawClient client = RawClient.upgrade(port(), NORMAL)) {
            client.socket().setSoTimeout((int) SERVED_WITHIN.toMillis());
            client.sendText("normal client " + n);
            assertEquals("normal client " + n, client.readFrame().text(), "the normal client's echo");
            byte[] data = new byte[64 * 1024];
            new Random(n).nextBytes(data);
            client.sendBinary(data);
            assertArrayEquals(data, client.readFrame().payload(), "the normal client's binary echo");
            client.sendClose(1000, "");
            WireFrame close = client.readUntilClose();
            assertEquals(1000, close.closeCode(), "the normal client's close");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis <= SERVED_WITHIN.toMillis(), "the normal client took " + millis + " ms, more than "
                + SERVED_WITHIN.toMillis() + " ms");
    }

    /**
     * Everything an attack took is back: no connection left (the server's count), the budget holds 0 bytes, no
     * handler code runs, and all {@link #HANDLER_THREADS} handler thread slots can be taken at once (a slot a
     * connection kept would make one of them a 503).
     */
    void assertReleased() throws IOException {
        Await.until("the server has no connection left (now " + server.connectionCount() + ")",
                () -> server.connectionCount() == 0);
        Await.until("the inbound memory budget holds nothing (now " + budget.used() + " bytes)",
                () -> budget.used() == 0);
        Await.until("every handler's code has returned (" + handlersRunning.get() + " running)",
                () -> handlersRunning.get() == 0);
        Await.until("all " + HANDLER_THREADS + " handler threads can be had at once", this::allHandlerThreadsFree);
    }

    /** Whether {@link #HANDLER_THREADS} connections upgraded at once all get a 101 (else a slot is still taken). */
    private boolean allHandlerThreadsFree() {
        List<RawClient> all = new ArrayList<>();
        try {
            boolean free = true;
            for (int i = 0; i < HANDLER_THREADS && free; i++) {
                RawClient client = RawClient.connect(port());
                all.add(client);
                client.send(request(NORMAL).toString());
                free = client.readHead().equals(UpgradeRequest.SWITCHING);
            }
            return free;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (RawClient client : all) {
                client.reset();
            }
            Await.until("the probing connections are gone", () -> server.connectionCount() == 0
                    && handlersRunning.get() == 0);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop(Duration.ZERO);
    }

    /** A handler that echoes (or holds) and, for attackers, records the connection and its end. */
    private WebSocketHandler handler(HandlerKind kind, boolean attacker, boolean echo) {
        return kind.create(communicator -> {
            handlersRunning.incrementAndGet();
            try {
                if (attacker) {
                    connections.record(new Connection(communicator, communicator.unwrap(Channel.class)));
                }
                if (echo || !attacker) {
                    echo(communicator);
                }
                CloseStatus end = communicator.awaitClose();
                if (attacker) {
                    ends.record(end);
                }
            } finally {
                handlersRunning.decrementAndGet();
            }
        });
    }

    /**
     * Echoes until the connection ends. A write after the peer's Close or the connection's failure ends it as
     * normally; a write the peer does not read within {@link #WRITE_TIMEOUT} throws out of the handler (the server
     * then closes the connection with 1011).
     */
    private static void echo(Communicator communicator) {
        try {
            WebSocketMessage message;
            while ((message = communicator.waitForMessage()) != null) {
                if (message instanceof StringMessage) {
                    communicator.writeStringMessage(((StringMessage) message).data());
                } else if (message instanceof BinaryMessage) {
                    communicator.writeBinaryMessage(((BinaryMessage) message).data());
                }
            }
        } catch (WebSocketClosedException e) {
            // The connection is closing: its end is recorded below.
        }
    }
}
