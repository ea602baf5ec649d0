package dev.wsnetty.netty;

/**
 * Whether and how a connection compresses its messages with permessage-deflate (RFC 7692), and what that costs in
 * native zlib memory per connection.
 */
public enum CompressionMode {
    /** No permessage-deflate: offers are declined, the client offers nothing. */
    OFF,
    /**
     * permessage-deflate without context takeover in either direction: every message is compressed and inflated on
     * its own, so the zlib streams hold no state between messages and are shared per event-loop thread. An idle
     * compressed connection holds no zlib memory at all. The server answers with {@code server_no_context_takeover}
     * and {@code client_no_context_takeover}, whatever the offer holds (RFC 7692 §7.1.1.2 lets it add the second;
     * Netty's {@code websocketx} client accepts that only with {@code allowClientNoContext}); the client asks for
     * both. The default of {@link WebSocketConfig}.
     */
    LEAN,
    /**
     * permessage-deflate with context takeover where the peer allows it: a better ratio for small similar messages,
     * at the cost of per-connection zlib streams (about 256 KiB to deflate and 40 KiB to inflate at the default
     * level and window), created on first use and released after {@link WebSocketConfig#compressionIdleRelease()}
     * of idleness when the negotiated parameters let the context be dropped.
     */
    CONTEXT_TAKEOVER
}
