package dev.wsnetty.netty.server;

/**
 * Where a {@link WebSocketServer} runs its handlers' {@link dev.wsnetty.WebSocketHandler#accept accept} (the
 * original's {@code TServerAcceptingMethod}). The TCP accept and the HTTP parsing always run on the event loop;
 * this chooses the thread that decides each handshake, which matters when {@code accept} is slow (it looks up a
 * database, checks a token remotely).
 *
 * <p>Unlike the original, it does not decide where a connection is handled afterwards: a plain
 * {@link dev.wsnetty.WebSocketHandler}'s {@code handleCommunication} always gets a thread of its own (see
 * {@link WebSocketServer}), so no accepting method makes the server serve one client at a time.
 */
public enum AcceptingMethod {
    /**
     * {@code accept} runs on the connection's event loop (the original's {@code samDefault}): the cheapest, and
     * right when {@code accept} is quick and never blocks. A blocking {@code accept} stalls every connection of
     * that event loop.
     */
    DEFAULT,
    /** {@code accept} runs on a new platform thread per handshake (the original's {@code samThreaded}). */
    THREADED,
    /**
     * {@code accept} runs on the server's own pool of platform threads (the original's {@code samThreadPool}),
     * bounded and freed when the server stops (the original's pool grew without bound and never shrank).
     * Handshakes wait in a queue when every thread is busy; the handshake timeout still applies.
     */
    THREAD_POOL
}
