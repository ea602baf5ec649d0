package dev.wsnetty.netty.server;

import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.deflate.DeflateAgreement;
import dev.wsnetty.netty.server.SoakConnection.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client connections of a {@link SoakTest} run: opens them, keeps track of the open and the idle ones, replaces
 * those whose end asks for it, churns idle ones, and at the end stops replacing and closes them all. Thread-safe:
 * the test's thread, the churn timer and the connections' event loops all call it.
 */
final class SoakClients {
    private final ClientConnector connector;
    private final ClientHandshakeRequest request;
    private final SoakSettings settings;
    private final SoakTally tally;
    private final AtomicLong ids = new AtomicLong();
    /** The open connections by id. */
    private final Map<Long, SoakConnection> live = new ConcurrentHashMap<>();
    /** The open idle connections the churn picks from; guarded by itself. */
    private final List<SoakConnection> idle = new ArrayList<>();
    /** How many are open, handshake done and not ended yet. */
    private final AtomicInteger open = new AtomicInteger();
    /** How many handshakes are under way. */
    private final AtomicInteger connecting = new AtomicInteger();
    /** Set once at the end: no more churn, replacement or session message. */
    private volatile boolean stopping;

    SoakClients(ClientConnector connector, ClientHandshakeRequest request, SoakSettings settings, SoakTally tally) {
        this.connector = connector;
        this.request = request;
        this.settings = settings;
        this.tally = tally;
    }

    /** Starts a connection of {@code kind}; it plays its part once the handshake has completed. */
    SoakConnection open(Kind kind) {
        SoakConnection conn = new SoakConnection(ids.incrementAndGet(), kind, this, settings, tally);
        connecting.incrementAndGet();
        ClientConnection connection = connector.connect(request, pipeline -> pipeline.addLast(conn));
        conn.channel(connection.channel());
        connection.handshake().whenComplete((result, error) -> {
            connecting.decrementAndGet();
            if (error != null || !result.success()) {
                conn.failedToOpen(String.valueOf(error != null ? error : result));
                return;
            }
            boolean deflate = DeflateAgreement.of(connection.channel()).isPresent();
            if (deflate != (settings.compression() != CompressionMode.OFF)) {
                tally.fail("connection " + conn.id() + ": permessage-deflate " + (deflate ? "" : "not ")
                        + "agreed with compression " + settings.compression());
            }
            tally.connectionOpened(deflate);
            open.incrementAndGet();
            live.put(conn.id(), conn);
            conn.channel().eventLoop().execute(conn::start);
        });
        return conn;
    }

    /** The connections open now. */
    int openCount() {
        return open.get();
    }

    boolean stopping() {
        return stopping;
    }

    /** Closes a random idle connection, which opens another as it ends; does nothing once stopping. */
    void churnOne() {
        SoakConnection victim;
        synchronized (idle) {
            if (idle.isEmpty() || stopping) {
                return;
            }
            // Swap with the last and remove that: a random pick from a large list in constant time.
            int at = ThreadLocalRandom.current().nextInt(idle.size());
            victim = idle.get(at);
            idle.set(at, idle.get(idle.size() - 1));
            idle.remove(idle.size() - 1);
        }
        tally.churned();
        victim.churn();
    }

    /** Stops the churn, the replacements and the sessions: each session closes after its echo. */
    void stop() {
        stopping = true;
    }

    /** Whether only idle connections are left, the sessions and slow readers having ended. */
    boolean onlyIdleLeft() {
        return live.values().stream().allMatch(c -> c.kind() == Kind.IDLE);
    }

    /** Closes every open connection by the client (1000). */
    void closeAll() {
        synchronized (idle) {
            idle.clear();
        }
        for (SoakConnection c : live.values()) {
            c.channel().eventLoop().execute(c::closeByClient);
        }
    }

    /** Whether every connection has ended and none is being opened. */
    boolean allClosed() {
        return live.isEmpty() && connecting.get() == 0;
    }

    /** Makes {@code conn} one the churn may pick, unless stopping; called once it is open. */
    void becameIdle(SoakConnection conn) {
        synchronized (idle) {
            if (!stopping) {
                idle.add(conn);
            }
        }
    }

    /** Forgets {@code conn}, which has ended, and opens another in its place if its end asked for that. */
    void ended(SoakConnection conn) {
        synchronized (idle) {
            idle.remove(conn);
        }
        live.remove(conn.id());
        open.decrementAndGet();
        if (conn.replaceOnClose() && !stopping) {
            open(conn.kind() == Kind.ACTIVE ? Kind.ACTIVE : Kind.IDLE);
        }
    }
}
