package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.internal.HttpTokens;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link WebSocketEndpoint} sees of an opening handshake: an immutable snapshot of the HTTP
 * request and of the connection's addresses, safe to hand to another thread.
 */
public final class HandshakeRequest {
    private final String method;
    private final String path;
    private final String host;
    private final String key;
    private final String origin;
    private final List<String> subprotocols;
    private final HttpHeaders headers;
    private final SocketAddress remoteAddress;
    private final SocketAddress localAddress;

    private HandshakeRequest(HttpRequest request, SocketAddress remoteAddress, SocketAddress localAddress) {
        HttpHeaders h = request.headers();
        this.method = request.method().name();
        this.path = request.uri();
        this.host = h.get(HttpHeaderNames.HOST, "");
        this.key = h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY, "");
        this.origin = h.get(HttpHeaderNames.ORIGIN);
        this.subprotocols = HttpTokens.all(h, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        this.headers = readOnlyCopy(h);
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
    }

    /**
     * Takes a snapshot of {@code request}; later changes to it are not seen.
     *
     * @param request       the decoded HTTP request head
     * @param remoteAddress the peer's address (may be {@code null}, e.g. in tests)
     * @param localAddress  the local address the request arrived at (may be {@code null})
     */
    public static HandshakeRequest of(HttpRequest request, SocketAddress remoteAddress, SocketAddress localAddress) {
        return new HandshakeRequest(Objects.requireNonNull(request, "request"), remoteAddress, localAddress);
    }

    /** The request method as sent, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The raw request target: not URL-decoded, query included, e.g. {@code /chat?room=1}. */
    public String path() {
        return path;
    }

    /** The raw {@code Host} header, port included (e.g. {@code localhost:8080}), or {@code ""} if missing. */
    public String host() {
        return host;
    }

    /** The {@code Sec-WebSocket-Key} header, or {@code ""} if missing. */
    public String key() {
        return key;
    }

    /** The {@code Origin} header, or {@code null} if missing (as from most non-browser clients). */
    public String origin() {
        return origin;
    }

    /** The subprotocols offered in {@code Sec-WebSocket-Protocol}, in the client's order; empty if none. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** All request headers, read-only, names looked up case-insensitively. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The first value of a header (name case-insensitive), or {@code null} if missing. */
    public String header(CharSequence name) {
        return headers.get(name);
    }

    /** The peer's address, or {@code null} if unknown. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The local address the request arrived at, or {@code null} if unknown. */
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public String toString() {
        return "HandshakeRequest{" + method + ' ' + path + ", host=" + host + ", remote=" + remoteAddress + '}';
    }

    private static HttpHeaders readOnlyCopy(HttpHeaders h) {
        // The names and values as the decoder made them (immutable AsciiStrings), not converted to Strings.
        CharSequence[] pairs = new CharSequence[h.size() * 2];
        int i = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = h.iteratorCharSequence();
        while (entries.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = entries.next();
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        // The decoder validated these already.
        return new ReadOnlyHttpHeaders(false, i == pairs.length ? pairs : Arrays.copyOf(pairs, i));
    }
}
