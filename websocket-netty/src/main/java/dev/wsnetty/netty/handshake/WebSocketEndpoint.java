package dev.wsnetty.netty.handshake;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;

/**
 * What a route of the {@link HandlerRouter} leads to, in the pipeline API: decides whether a handshake is accepted
 * and takes the connection once it is open (the 101 sent). Only {@link #opened} must be written; the other methods
 * have defaults that accept everything. {@code WebSocketServer} routes to its {@code WebSocketHandler}s through an
 * endpoint of its own.
 *
 * <p>{@link #originPolicy()}, {@link #accept}, {@link #selectSubprotocol} and {@link #reserve} run in that order on the
 * {@link ServerHandshakeConfig#acceptExecutor() accept executor} (the event loop when there is none), so they
 * may block only when an executor is set. An exception thrown by any of them is answered with 500.
 */
@FunctionalInterface
public interface WebSocketEndpoint {
    /**
     * Whether to accept this handshake; {@code false} is answered with 403 "Request not accepted by Handler".
     *
     * @param request         the handshake request
     * @param responseHeaders headers to send in the 101 answer, before the handshake's own (e.g.
     *                        {@code Set-Cookie}); {@code Upgrade}, {@code Connection} and the
     *                        {@code Sec-WebSocket-Accept/Protocol/Extensions} headers are the handshake's
     *                        and replaced if set here
     */
    default boolean accept(HandshakeRequest request, HttpHeaders responseHeaders) {
        return true;
    }

    /**
     * Picks the subprotocol to speak, sent back in {@code Sec-WebSocket-Protocol}.
     *
     * @param offered the client's subprotocols in its order of preference (may be empty)
     * @return one of {@code offered}, or {@code null} for none; anything else is a server error (500)
     */
    default String selectSubprotocol(List<String> offered) {
        return null;
    }

    /**
     * The origin check for this endpoint; {@link OriginPolicy#any()} by default, because non-browser
     * clients send no {@code Origin} and only the application knows its own sites. Browser-facing
     * endpoints using cookies should return {@link OriginPolicy#allowList} or {@link OriginPolicy#sameHost()}.
     */
    default OriginPolicy originPolicy() {
        return OriginPolicy.any();
    }

    /**
     * Reserves what the connection will need once open (a handler thread, say) before the 101 is sent, so that a
     * connection is refused rather than opened and left unserved. The handshake handler then calls exactly one of
     * the reservation's methods: {@link Reservation#opened} after the 101, or {@link Reservation#release} when the
     * connection ends before. The default reserves nothing and opens through {@link #opened}.
     *
     * @param request the handshake request, accepted
     * @return the reservation
     * @throws EndpointBusyException when the connection cannot be served now: answered with 503 and
     *                               {@code Retry-After}
     */
    default Reservation reserve(HandshakeRequest request) {
        return new Reservation() {
            @Override
            public void opened(Channel channel, HandshakeRequest handshake, String subprotocol) {
                WebSocketEndpoint.this.opened(channel, handshake, subprotocol);
            }

            @Override
            public void release() {
            }
        };
    }

    /**
     * Called on the channel's event loop once the 101 was written and the pipeline switched to frames:
     * the HTTP handlers are gone and the frame decoder, encoder and protocol handler are in place. Add
     * the handler that receives the frames here (usually at the end of the pipeline); bytes that the
     * client sent right after its request are passed on only when this method has returned. If it throws,
     * the connection is closed.
     *
     * @param channel     the connection, now speaking WebSocket
     * @param request     the handshake request
     * @param subprotocol the selected subprotocol, or {@code null}
     */
    void opened(Channel channel, HandshakeRequest request, String subprotocol);

    /** What {@link #reserve} set aside for one connection: used by {@link #opened} or given back by {@link #release}. */
    interface Reservation {
        /** As {@link WebSocketEndpoint#opened}, with what was reserved; on the channel's event loop. */
        void opened(Channel channel, HandshakeRequest request, String subprotocol);

        /** Gives back what was reserved: the connection ended (or was refused) before it opened. */
        void release();
    }
}
