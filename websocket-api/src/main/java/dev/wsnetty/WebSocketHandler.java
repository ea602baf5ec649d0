package dev.wsnetty;

import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.VirtualThreads;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Handles the connections of one route (host and path) of a server (the original's {@code TWebsocketHandler}).
 * Subclass it and override {@link #accept} to check requests and {@link #doHandleCommunication} to talk to the
 * client; the other methods keep their defaults in most programs.
 *
 * <p>This plain handler runs {@link #handleCommunication} in the thread the server calls it from (see the
 * server's accepting method), so a long {@code doHandleCommunication} holds that thread for the connection's
 * lifetime, as in the original. Use {@link ThreadedWebSocketHandler} for a thread per connection.
 *
 * <p>Lifecycle of a connection: {@link #prepareCommunication} adds it to {@link #connections()},
 * {@link #doHandleCommunication} talks, {@link #finalizeCommunication} removes it and closes it with 1000 if still
 * open. Returning from {@code doHandleCommunication} therefore ends the connection. If preparing or talking
 * throws, the connection is closed with 1011 before finalizing, unless the exception is a
 * {@link WebSocketClosedException}: writing after the peer closed is a normal end (see {@code HandlerEndings}).
 */
public class WebSocketHandler implements AutoCloseable {
    private static final Log LOG = Log.of(WebSocketHandler.class);

    private final Set<Communicator> connections = ConcurrentHashMap.newKeySet();
    private final Set<Communicator> connectionsView = Collections.unmodifiableSet(connections);

    /** A handler that accepts every request and ends each connection at once; override to do more. */
    public WebSocketHandler() {
    }

    /**
     * Decides whether to accept an upgrade request; may add headers to the 101 response (cookies, for example;
     * the subprotocol is chosen by {@link #selectSubprotocol}).
     * Returning false refuses the request with 403. Runs before the connection exists, in the thread the server's
     * accepting method chooses; an exception thrown here refuses the request (the server answers with an HTTP error and logs it).
     *
     * @param request         the request: path, host, key, headers, remote address
     * @param responseHeaders headers to add to the 101 response
     * @return whether to accept; the default accepts everything
     */
    public boolean accept(RequestData request, ResponseHeaders responseHeaders) {
        return true;
    }

    /**
     * Which web pages may open connections to this handler, checked before {@link #accept}; a refused request gets
     * 403 with the reason in the body. Override to allow the origins of your own sites, e.g.
     * {@code return AllowedOrigins.of("https://app.example.com");}.
     *
     * @return the origins allowed, or {@code null} (the default) for the server's setting, which by default
     *         lets requests without {@code Origin} and same-origin browser requests pass
     *         ({@link AllowedOrigins#sameOrigin()})
     */
    public AllowedOrigins allowedOrigins() {
        return null;
    }

    /**
     * Picks the subprotocol to speak from those the client offered in {@code Sec-WebSocket-Protocol}; the server
     * sends it back in the 101 response. Runs after {@link #accept} accepted, in the same thread.
     *
     * @param offered the client's subprotocols in its order of preference, empty when it offered none
     * @return one of {@code offered}, or {@code null} for none (the default); any other value refuses the
     *         request with 500
     */
    public String selectSubprotocol(List<String> offered) {
        return null;
    }

    /**
     * Whether this handler's connections each hold a platform thread while they live, which a server counts
     * against its bound on platform handler threads: true for a plain handler on a JVM without virtual threads
     * (Java 17-20), false on Java 21+.
     */
    public boolean runsOnPlatformThreads() {
        return !VirtualThreads.isAvailable();
    }

    /**
     * Reserves the thread a server will run a connection's {@link #handleCommunication} on, before it answers the
     * handshake: a virtual thread on Java 21+ (started when used), else a pooled platform thread started now.
     *
     * @param whenEnded run once on that thread when the connection's work is over, or when the reservation is
     *                  released unused (a server frees its count of platform threads there); not run when this
     *                  method throws; {@link HandlerThread#NOTHING_WHEN_ENDED} when there is nothing to do
     * @throws java.util.concurrent.RejectedExecutionException if no thread can be started (e.g. the process is at
     *                                                         its thread limit)
     */
    public HandlerThread reserveThread(Runnable whenEnded) {
        Executor executor = HandlerExecutors.connectionExecutor();
        return runsOnPlatformThreads() ? HandlerThread.startNow(executor, whenEnded)
                : HandlerThread.onDemand(executor, whenEnded);
    }

    /**
     * Runs a new connection's lifecycle: {@link #prepareCommunication}, {@link #doHandleCommunication}, and
     * {@link #finalizeCommunication} in a finally block, all in the calling thread. If prepare or do throws, the
     * connection is closed with 1011 ("Internal error") and the exception is rethrown after finalizing; except a
     * {@link WebSocketClosedException} (a write after the connection closed, e.g. after the peer's Close), which is
     * the connection's normal end: logged at DEBUG, not rethrown. Override
     * only if you really mean to take over the lifecycle; call the three methods yourself then.
     *
     * @param communicator the new connection
     */
    public void handleCommunication(Communicator communicator) {
        try {
            prepareCommunication(communicator);
            doHandleCommunication(communicator);
        } catch (WebSocketClosedException e) {
            HandlerEndings.failed(communicator, e, "doHandleCommunication");
        } catch (Throwable t) {
            HandlerEndings.closeWith1011(communicator);
            throw t;
        } finally {
            finalizeCommunication(communicator);
        }
    }

    /**
     * Prepares a connection before it is handled: adds it to {@link #connections()}. Overrides must call
     * {@code super.prepareCommunication}.
     *
     * @param communicator the new connection
     */
    protected void prepareCommunication(Communicator communicator) {
        connections.add(communicator);
    }

    /**
     * Talks to the client; the connection ends when this returns. The default does nothing, so it ends at once.
     * A typical body sets listeners and then waits: {@code communicator.awaitClose()}, or loops over
     * {@code waitForStringMessage()} until it returns null.
     *
     * @param communicator the connection
     */
    protected void doHandleCommunication(Communicator communicator) {
    }

    /**
     * Cleans up after a connection was handled: removes it from {@link #connections()} and, if it is still open,
     * closes it with 1000. Overrides must call {@code super.finalizeCommunication}.
     *
     * @param communicator the connection
     */
    protected void finalizeCommunication(Communicator communicator) {
        connections.remove(communicator);
        if (communicator.isOpen()) {
            communicator.close(CloseCodes.NORMAL_CLOSURE, "");
        }
    }

    /**
     * The connections between prepare and finalize: a live, thread-safe, unmodifiable view. Iterating it while
     * connections come and go is safe and never throws {@link java.util.ConcurrentModificationException}.
     */
    public final Set<Communicator> connections() {
        return connectionsView;
    }

    /**
     * Called when a server that owns this handler stops: closes every remaining connection with 1001
     * ("Server shutting down"). The handlers' threads then see the connections close and finalize them. A
     * subclass that holds other resources releases them here and calls {@code super.close()}.
     */
    @Override
    public void close() {
        for (Communicator c : connections) {
            try {
                c.close(CloseCodes.GOING_AWAY, "Server shutting down");
            } catch (RuntimeException e) {
                LOG.log(Log.Level.WARN, "could not close " + c + " while closing the handler", e);
            }
        }
    }
}
