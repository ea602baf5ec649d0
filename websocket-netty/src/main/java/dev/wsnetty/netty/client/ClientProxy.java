package dev.wsnetty.netty.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A proxy the client reaches the server through: an HTTP proxy, asked with {@code CONNECT host:port} for a
 * tunnel (RFC 9110 §9.3.6), or a SOCKS5 proxy (RFC 1928). Both carry {@code ws://} and {@code wss://}; for
 * wss the TLS handshake runs inside the tunnel, end to end with the server, and the server's certificate is
 * checked against the server's host name as without a proxy. The server's host name goes to the proxy
 * unresolved: the proxy resolves it.
 *
 * <p>Immutable. Credentials, when given, go out as {@code Proxy-Authorization: Basic} (HTTP, sent with the
 * CONNECT, not in answer to a 407) or as SOCKS5 username/password authentication (RFC 1929).
 *
 * <pre>{@code
 * client.setProxy(ClientProxy.http("proxy.example.com", 3128).withCredentials("alice", "secret"));
 * }</pre>
 */
public final class ClientProxy {
    /** The proxy protocol. */
    public enum Type {
        /** An HTTP proxy that opens tunnels with {@code CONNECT}. */
        HTTP,
        /** A SOCKS version 5 proxy. */
        SOCKS5
    }

    // RFC 1929: username and password are each 1 to 255 bytes.
    private static final int SOCKS5_MAX_CREDENTIAL_BYTES = 255;

    private final Type type;
    private final String host;
    private final int port;
    /** Null when the proxy is used without credentials; then password is null too. */
    private final String username;
    private final String password;

    private ClientProxy(Type type, String host, int port, String username, String password) {
        this.type = type;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
    }

    /**
     * An HTTP CONNECT proxy.
     *
     * @param host a host name, an IPv4 address, or an IPv6 address with or without brackets
     * @param port 1 to 65535
     * @throws IllegalArgumentException if the host or port is not valid
     */
    public static ClientProxy http(String host, int port) {
        return new ClientProxy(Type.HTTP, ClientHandshakeRequest.checkedHost(host),
                ClientHandshakeRequest.checkedPort(port), null, null);
    }

    /**
     * A SOCKS5 proxy.
     *
     * @param host a host name, an IPv4 address, or an IPv6 address with or without brackets
     * @param port 1 to 65535 (SOCKS proxies usually listen on 1080)
     * @throws IllegalArgumentException if the host or port is not valid
     */
    public static ClientProxy socks5(String host, int port) {
        return new ClientProxy(Type.SOCKS5, ClientHandshakeRequest.checkedHost(host),
                ClientHandshakeRequest.checkedPort(port), null, null);
    }

    /**
     * This proxy with credentials: HTTP basic authentication or SOCKS5 username/password authentication.
     *
     * @throws IllegalArgumentException if the username is empty, has a ':' (HTTP basic authentication cannot
     *                                  carry one, RFC 7617 §2) or a control character, or, for SOCKS5, the
     *                                  username or password is empty or longer than 255 bytes
     */
    public ClientProxy withCredentials(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("proxy username must not be empty");
        }
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            if (c < ' ' || c == 0x7f || (type == Type.HTTP && c == ':')) {
                throw new IllegalArgumentException("proxy username has a " + (c == ':' ? "':'" : "control character")
                        + " at index " + i + (c == ':' ? ", which HTTP basic authentication cannot carry" : ""));
            }
        }
        if (type == Type.SOCKS5) {
            checkSocksCredential(username, "username");
            checkSocksCredential(password, "password");
        }
        return new ClientProxy(type, host, port, username, password);
    }

    private static void checkSocksCredential(String value, String what) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > SOCKS5_MAX_CREDENTIAL_BYTES) {
            throw new IllegalArgumentException("SOCKS5 " + what + " must be 1 to 255 bytes, was " + bytes);
        }
    }

    /** The proxy protocol. */
    public Type type() {
        return type;
    }

    /** The proxy's host, without brackets for an IPv6 address. */
    public String host() {
        return host;
    }

    /** The proxy's port. */
    public int port() {
        return port;
    }

    /** The username sent to the proxy, if credentials were given. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** The password, or null without credentials; not public so that it does not end up in logs. */
    String password() {
        return password;
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    String hostAndPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClientProxy)) {
            return false;
        }
        ClientProxy p = (ClientProxy) o;
        return type == p.type && host.equals(p.host) && port == p.port && Objects.equals(username, p.username)
                && Objects.equals(password, p.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, host, port, username);
    }

    /** E.g. {@code "HTTP proxy proxy.example.com:3128"}; never the password. */
    @Override
    public String toString() {
        return (type == Type.HTTP ? "HTTP" : "SOCKS5") + " proxy " + hostAndPort()
                + (username != null ? " as " + username : "");
    }
}
