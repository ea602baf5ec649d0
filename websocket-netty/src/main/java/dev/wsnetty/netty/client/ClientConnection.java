package dev.wsnetty.netty.client;

import io.netty.channel.Channel;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A connection being opened by {@link ClientConnector}: its channel and the outcome of the opening handshake.
 * A host with several addresses is tried address by address, each on a channel of its own, so the channel
 * can change until the TCP connection is made; once the handshake future has completed successfully it is
 * the connection's channel for good.
 */
public final class ClientConnection {
    private final CompletableFuture<ClientHandshakeResult> handshake;
    /** The channel of the address being tried, then of the connection; set on the event loop. */
    private volatile Channel channel;
    /** Set once by {@link #close()}; read on the event loop before trying another address. */
    private volatile boolean closed;

    ClientConnection(Channel first, CompletableFuture<ClientHandshakeResult> handshake) {
        this.channel = Objects.requireNonNull(first, "first");
        this.handshake = Objects.requireNonNull(handshake, "handshake");
    }

    /**
     * The channel of the address being tried (registered, possibly not yet connected), or, once the TCP
     * connection is made, of the connection.
     */
    public Channel channel() {
        return channel;
    }

    /**
     * Completes with the server's answer (successful or refused), or exceptionally with a
     * {@link WebSocketConnectException} (a {@link WebSocketProxyException} for a proxy's failure) or a
     * {@link WebSocketHandshakeException}.
     */
    public CompletableFuture<ClientHandshakeResult> handshake() {
        return handshake;
    }

    /**
     * Abandons the attempt, or closes the connection if it is open (without a closing handshake): no other
     * address is tried and the current channel is closed. Thread-safe; later calls do nothing more.
     */
    public void close() {
        closed = true;
        channel.close();
    }

    boolean isClosed() {
        return closed;
    }

    void channel(Channel next) {
        this.channel = next;
    }

    @Override
    public String toString() {
        return "ClientConnection[" + channel + ", handshake " + (handshake.isDone() ? "done" : "pending") + "]";
    }
}
