package dev.wsnetty.netty.client;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.internal.HttpTokens;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client asks for when it opens a WebSocket: where to connect (host, port, TLS), the request
 * target, the offered subprotocols, an optional {@code Origin}, extra headers, and the connection's
 * limits. Immutable; build one with {@link #builder(String)} or {@link #fromUri(URI)}. The same request
 * may be used for any number of connections: each connection draws its own {@code Sec-WebSocket-Key}.
 *
 * <p>The {@code Host} header is {@code host:port}, with the port left out when it is the scheme's default
 * (80 for ws, 443 for wss), as browsers and RFC 7230 §5.4 do. The original LazWebsockets client always
 * appended the port, even 80.
 */
public final class ClientHandshakeRequest {
    private static final int WS_PORT = 80;
    private static final int WSS_PORT = 443;

    private final String host;
    private final int port;
    private final String path;
    private final boolean tls;
    private final List<Map.Entry<String, String>> headers;
    private final List<String> subprotocols;
    private final String origin;
    private final WebSocketConfig config;

    private ClientHandshakeRequest(Builder b) {
        this.host = b.host;
        this.tls = b.tls;
        this.port = b.port != 0 ? b.port : (b.tls ? WSS_PORT : WS_PORT);
        this.path = b.path;
        this.headers = List.copyOf(b.headers);
        this.subprotocols = List.copyOf(b.subprotocols);
        this.origin = b.origin;
        this.config = b.config;
    }

    /**
     * A builder for a connection to {@code host} (a name, an IPv4 address, or an IPv6 address with or
     * without brackets), on port 80, path "/", without TLS, until told otherwise.
     */
    public static Builder builder(String host) {
        return new Builder(host);
    }

    /**
     * A builder filled from a {@code ws://} or {@code wss://} URI: host, port (default 80 or 443), path
     * (default "/") and query. Headers, subprotocols, Origin and config can then be added.
     *
     * @throws IllegalArgumentException if the scheme is not ws or wss (the message names it), or the URI
     *                                  has no host, has user info, or has a fragment (RFC 6455 §3)
     */
    public static Builder fromUri(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("URI " + uri + " has no scheme: use ws:// or wss://");
        }
        boolean secure;
        switch (scheme.toLowerCase(Locale.ROOT)) {
            case "ws":
                secure = false;
                break;
            case "wss":
                secure = true;
                break;
            default:
                throw new IllegalArgumentException("unsupported scheme '" + scheme + "' in " + uri
                        + ": use ws:// or wss://");
        }
        // The ASCII form percent-encodes any non-ASCII characters of path and query, as the request line needs.
        URI ascii = asciiForm(uri);
        if (ascii.getHost() == null) {
            throw new IllegalArgumentException("URI " + uri + " has no (valid) host");
        }
        if (ascii.getRawUserInfo() != null) {
            throw new IllegalArgumentException("URI " + uri + " has user info, which WebSocket URIs cannot carry");
        }
        if (ascii.getRawFragment() != null) {
            throw new IllegalArgumentException("URI " + uri + " has a fragment, which WebSocket URIs must not have");
        }
        String rawPath = ascii.getRawPath();
        String target = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (ascii.getRawQuery() != null) {
            target += "?" + ascii.getRawQuery();
        }
        Builder b = new Builder(ascii.getHost()).tls(secure).path(target);
        if (ascii.getPort() != -1) {
            b.port(ascii.getPort());
        }
        return b;
    }

    private static URI asciiForm(URI uri) {
        try {
            return new URI(uri.toASCIIString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("URI " + uri + " is not valid: " + e.getMessage(), e);
        }
    }

    /**
     * {@code host} without the brackets of an IPv6 address.
     *
     * @throws IllegalArgumentException if it is empty or has a character no host name or address has
     */
    static String checkedHost(String host) {
        Objects.requireNonNull(host, "host");
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c <= ' ' || c >= 0x7f || "/?#@[]".indexOf(c) >= 0) {
                throw new IllegalArgumentException("host '" + host + "' contains an invalid character at index " + i);
            }
        }
        return h;
    }

    /**
     * {@code port}, checked.
     *
     * @throws IllegalArgumentException if it is not between 1 and 65535
     */
    static int checkedPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        return port;
    }

    /**
     * {@code path} as a request target ("/" for an empty one).
     *
     * @throws IllegalArgumentException if it does not start with "/" or has a character that must be
     *                                  percent-encoded
     */
    static String checkedPath(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            return "/";
        }
        if (path.charAt(0) != '/') {
            throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '#') {
                throw new IllegalArgumentException("path '" + path + "' has a space, control, '#' or non-ASCII"
                        + " character at index " + i + ": percent-encode it");
            }
        }
        return path;
    }

    /**
     * A copy of {@code protocols}, checked.
     *
     * @throws IllegalArgumentException if one is not a non-empty HTTP token or appears twice
     */
    static List<String> checkedSubprotocols(List<String> protocols) {
        List<String> checked = new ArrayList<>(protocols.size());
        for (String p : protocols) {
            if (!HttpTokens.isToken(p)) {
                throw new IllegalArgumentException("subprotocol '" + p + "' is not a valid HTTP token");
            }
            if (checked.contains(p)) {
                throw new IllegalArgumentException("subprotocol '" + p + "' is offered twice");
            }
            checked.add(p);
        }
        return List.copyOf(checked);
    }

    /**
     * {@code origin} as browsers send it: {@code scheme://host[:port]}, the port only when it is not the scheme's
     * default, without path or query ({@code "https://Example.com:443/app"} gives {@code "https://example.com"}),
     * or {@code "null"}.
     *
     * @throws IllegalArgumentException if it is empty, has a control or non-ASCII character, or is not
     *                                  {@code "null"} or a URI with scheme and host
     */
    static String checkedOrigin(String origin) {
        Objects.requireNonNull(origin, "origin");
        if (origin.isEmpty()) {
            throw new IllegalArgumentException("origin must not be empty");
        }
        Builder.checkValue(origin, "origin");
        return WebOrigin.serialize(origin);
    }

    /** The host to connect to, without brackets for IPv6 addresses. */
    public String host() {
        return host;
    }

    /** The port to connect to. */
    public int port() {
        return port;
    }

    /** The request target: path and query, starting with "/". */
    public String path() {
        return path;
    }

    /** Whether the connection uses TLS (wss). */
    public boolean tls() {
        return tls;
    }

    /** The extra request headers, in the order given, exactly as given. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The offered subprotocols, in order of preference; empty when none is offered. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** The {@code Origin} header to send, if any. */
    public Optional<String> origin() {
        return Optional.ofNullable(origin);
    }

    /** The limits and timeouts of the connection; {@link WebSocketConfig#handshakeTimeout()} bounds the upgrade. */
    public WebSocketConfig config() {
        return config;
    }

    /** The value of the {@code Host} header: {@code host:port}, without the port when it is the scheme default. */
    public String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == (tls ? WSS_PORT : WS_PORT) ? h : h + ":" + port;
    }

    /** {@code host:port} for messages, with brackets around an IPv6 address. */
    String hostAndPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether one of the extra headers is named {@code name} (case-insensitive). */
    boolean hasHeader(String name) {
        return headers.stream().anyMatch(e -> e.getKey().equalsIgnoreCase(name));
    }

    /** The URI this request opens, e.g. {@code ws://example.com:8080/chat?room=1}. */
    public URI uri() {
        return URI.create((tls ? "wss://" : "ws://") + hostAndPort() + path);
    }

    @Override
    public String toString() {
        return "ClientHandshakeRequest{" + uri() + ", subprotocols=" + subprotocols
                + (origin != null ? ", origin=" + origin : "") + ", headers=" + headers.size() + '}';
    }

    /** Builds a {@link ClientHandshakeRequest}; every setter validates its argument and says what is wrong. */
    public static final class Builder {
        // Headers the handshake itself sets; letting a custom header change them would break the upgrade.
        private static final List<String> RESERVED = List.of(
                "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Upgrade", "Connection");

        private final String host;
        private int port;
        private String path = "/";
        private boolean tls;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private final List<String> subprotocols = new ArrayList<>();
        private String origin;
        private WebSocketConfig config = WebSocketConfig.DEFAULT;

        private Builder(String host) {
            this.host = checkedHost(host);
        }

        /** Sets the port (1 to 65535); without it the scheme default is used (80, or 443 with TLS). */
        public Builder port(int port) {
            this.port = checkedPort(port);
            return this;
        }

        /**
         * Sets the request target: a path starting with "/", optionally followed by "?query", in printable
         * ASCII (percent-encode anything else). An empty string means "/".
         */
        public Builder path(String path) {
            this.path = checkedPath(path);
            return this;
        }

        /** Sets whether to use TLS (wss); this also picks the default port and the {@code Host} header form. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Adds a request header, sent after the handshake's own headers as {@code "Name: value"}, in the
         * order added. A {@code Host} header given here replaces the generated one.
         *
         * @throws IllegalArgumentException if the name is not an HTTP token, the value has control
         *         characters, or the header is one the handshake sets itself (the message says which)
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!HttpTokens.isToken(name)) {
                throw new IllegalArgumentException("header name '" + name + "' is not a valid HTTP token");
            }
            for (String reserved : RESERVED) {
                if (reserved.equalsIgnoreCase(name)) {
                    throw new IllegalArgumentException("custom header '" + name + "' is not allowed: the handshake"
                            + " sets " + reserved + " itself");
                }
            }
            if (name.equalsIgnoreCase("Sec-WebSocket-Protocol")) {
                throw new IllegalArgumentException("custom header '" + name + "' is not allowed: offer subprotocols"
                        + " with subprotocols(...)");
            }
            if (name.equalsIgnoreCase("Sec-WebSocket-Extensions")) {
                throw new IllegalArgumentException("custom header '" + name + "' is not allowed: the handshake"
                        + " offers permessage-deflate itself (WebSocketConfig.compression), and the server's answer"
                        + " to any other extension would be rejected");
            }
            checkValue(value, "header '" + name + "'");
            headers.add(Map.entry(name, value));
            return this;
        }

        /**
         * Sets the offered subprotocols, most preferred first (replacing earlier ones). Each must be a
         * non-empty HTTP token, without duplicates.
         */
        public Builder subprotocols(String... protocols) {
            return subprotocols(List.of(protocols));
        }

        /** Sets the offered subprotocols, most preferred first; see {@link #subprotocols(String...)}. */
        public Builder subprotocols(List<String> protocols) {
            List<String> checked = checkedSubprotocols(protocols);
            subprotocols.clear();
            subprotocols.addAll(checked);
            return this;
        }

        /**
         * Sets the {@code Origin} header (sent only when set), e.g. {@code "https://example.com"}, in the form
         * browsers send: the origin of the URI given, {@code scheme://host[:port]} (see
         * {@link WebSocketClient#setOrigin}).
         */
        public Builder origin(String origin) {
            this.origin = checkedOrigin(origin);
            return this;
        }

        /** Sets the connection's limits and timeouts (default {@link WebSocketConfig#DEFAULT}). */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalArgumentException if {@code Origin} was given both with {@link #origin(String)} and as a header
         */
        public ClientHandshakeRequest build() {
            if (origin != null && headers.stream().anyMatch(e -> e.getKey().equalsIgnoreCase("Origin"))) {
                throw new IllegalArgumentException("Origin is set both with origin(...) and as a custom header");
            }
            return new ClientHandshakeRequest(this);
        }

        private static void checkValue(String value, String what) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                // Header bytes go out as ASCII: anything else would be silently replaced on the wire.
                if ((c < ' ' && c != '\t') || c >= 0x7f) {
                    throw new IllegalArgumentException(what + " has a control or non-ASCII character (0x"
                            + Integer.toHexString(c) + ") at index " + i);
                }
            }
        }
    }
}
