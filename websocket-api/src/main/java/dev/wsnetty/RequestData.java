package dev.wsnetty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The upgrade request a handler sees in {@link WebSocketHandler#accept} (the original's {@code TRequestData}):
 * what the client asked for, raw, plus who asked. Immutable.
 */
public final class RequestData {
    private final String method;
    private final String path;
    private final String host;
    private final String key;
    private final HeaderFields headers;
    private final InetSocketAddress remoteAddress;

    /**
     * Request data as the transport parsed it.
     *
     * @param method        the request method, e.g. {@code GET}
     * @param path          the raw request target, query included, not URL-decoded
     * @param host          the raw {@code Host} header value, port included; null or absent becomes ""
     * @param key           the {@code Sec-WebSocket-Key} value
     * @param headers       every request header, in order
     * @param remoteAddress the client's address and port (or the proxy's, if there is one)
     */
    public RequestData(String method, String path, String host, String key, HeaderFields headers,
                       InetSocketAddress remoteAddress) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.host = host == null ? "" : host;
        this.key = Objects.requireNonNull(key, "key");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    /** The request method (always {@code GET} for an upgrade the server accepted as such). */
    public String method() {
        return method;
    }

    /** The raw request target, query included and not URL-decoded, e.g. {@code /chat?room=1}. */
    public String path() {
        return path;
    }

    /** The raw {@code Host} header, port included (e.g. {@code localhost:8080}), or "" if the request had none. */
    public String host() {
        return host;
    }

    /** The {@code Sec-WebSocket-Key} the client sent. */
    public String key() {
        return key;
    }

    /** The value of the first header named {@code name} (ignoring case), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Every value of the headers named {@code name} (ignoring case), in order; empty if none. */
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    /** The distinct header names in order of first appearance, spelled as received. */
    public Set<String> headerNames() {
        return headers.names();
    }

    /** All request headers, in order. */
    public HeaderFields headers() {
        return headers;
    }

    /** The address and real port of the peer that sent the request. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Method, path, host and peer, for logs (header values may be private and are left out). */
    @Override
    public String toString() {
        return "RequestData[" + method + ' ' + path + ", host=" + host + ", from " + remoteAddress + ']';
    }
}
