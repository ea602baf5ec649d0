package dev.wsnetty.netty.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One connection attempt that follows redirects as its {@link RedirectPolicy} says: it opens a connection, and
 * while the answer is a redirect to follow, opens the next one, until an answer that is not (an upgrade or a
 * refusal), an error, or a redirect it must not follow ({@link WebSocketRedirectException}). With redirects off,
 * a redirect is a refusal whose reason says where it points. Hops run on the event loop that completed the
 * previous handshake; opening a connection never blocks.
 */
final class RedirectFollower {
    private final RedirectPolicy policy;
    private final Function<ClientHandshakeRequest, ClientConnection> connector;
    private final CompletableFuture<ClientHandshakeResult> outcome = new CompletableFuture<>();
    /** The URIs requested so far; guarded by this. */
    private final List<URI> opened = new ArrayList<>();
    /** The connection of the latest hop; guarded by this. */
    private ClientConnection current;
    /** The request of the latest hop; guarded by this. */
    private ClientHandshakeRequest currentRequest;
    /** Set once the attempt is abandoned: no further hop starts; guarded by this. */
    private boolean abandoned;

    /**
     * Starts the attempt with {@code first}.
     *
     * @param connector opens one connection, e.g. {@link ClientConnector#connect(ClientHandshakeRequest)}
     */
    RedirectFollower(RedirectPolicy policy, Function<ClientHandshakeRequest, ClientConnection> connector,
                     ClientHandshakeRequest first) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.connector = Objects.requireNonNull(connector, "connector");
        hop(first);
    }

    /**
     * Completes with the last answer (an upgrade or a refusal), or exceptionally with the connector's errors or a
     * {@link WebSocketRedirectException}.
     */
    CompletableFuture<ClientHandshakeResult> handshake() {
        return outcome;
    }

    /** The request of the latest hop: after the outcome, the one that was answered. */
    synchronized ClientHandshakeRequest request() {
        return currentRequest;
    }

    /** Drops the current connection, whatever state it is in, and starts no further hop. */
    void abandon() {
        ClientConnection connection;
        synchronized (this) {
            abandoned = true;
            connection = current;
        }
        if (connection != null) {
            connection.close(); // also stops trying the host's further addresses
        }
    }

    private void hop(ClientHandshakeRequest request) {
        ClientConnection connection;
        try {
            connection = connector.apply(request);
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
            return;
        }
        boolean drop;
        synchronized (this) {
            current = connection;
            currentRequest = request;
            opened.add(request.uri());
            drop = abandoned;
        }
        if (drop) {
            connection.close(); // also stops trying the host's further addresses
        }
        connection.handshake().whenComplete((result, error) -> {
            if (error != null) {
                outcome.completeExceptionally(error);
            } else {
                onAnswer(request, result);
            }
        });
    }

    private void onAnswer(ClientHandshakeRequest request, ClientHandshakeResult result) {
        String location = result.success() || !RedirectPolicy.isRedirect(result.statusCode()) ? null
                : result.headers().get("Location");
        if (location == null) {
            outcome.complete(result);
            return;
        }
        if (!policy.follows()) {
            String where;
            try {
                where = RedirectRequests.target(request, location).toString();
            } catch (IllegalArgumentException e) {
                where = "'" + location + "' (" + e.getMessage() + ")";
            }
            outcome.complete(ClientHandshakeResult.refused(result.statusCode(), result.reasonPhrase(),
                    result.headers(), result.body(), result.failureReason().orElseThrow() + "; it redirects to "
                            + where + ", not followed: redirects are off (WebSocketClient.setRedirectPolicy)"));
            return;
        }
        String answered = "server " + request.hostAndPort() + " answered " + result.statusCode() + " "
                + result.reasonPhrase();
        URI target;
        try {
            target = RedirectRequests.target(request, location);
        } catch (IllegalArgumentException e) {
            outcome.completeExceptionally(notFollowed(answered + ", a redirect not followed: " + e.getMessage(),
                    result));
            return;
        }
        List<URI> sofar;
        synchronized (this) {
            sofar = List.copyOf(opened);
            if (abandoned) {
                return; // the channel's close completes nothing further; the caller no longer waits
            }
        }
        if (sofar.size() > policy.maxRedirects()) {
            outcome.completeExceptionally(notFollowed(answered + ", redirect number " + sofar.size() + " (to "
                    + target + "), more than the " + policy.maxRedirects() + " allowed; requested: " + sofar, result));
            return;
        }
        ClientHandshakeRequest next;
        try {
            next = RedirectRequests.next(request, target);
        } catch (IllegalArgumentException e) {
            outcome.completeExceptionally(notFollowed(answered + ", a redirect to " + target
                    + " that cannot be followed: " + e.getMessage(), result));
            return;
        }
        hop(next);
    }

    private WebSocketRedirectException notFollowed(String message, ClientHandshakeResult result) {
        List<URI> sofar;
        synchronized (this) {
            sofar = List.copyOf(opened);
        }
        return new WebSocketRedirectException(message, result.response(), sofar);
    }
}
