package dev.wsnetty.netty.client;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Which proxy, if any, a connection goes through. Asked once per connection attempt, on the thread that
 * starts it, with the {@code ws://} or {@code wss://} URI being opened. The client goes direct unless told
 * otherwise: neither the JVM's proxy properties nor {@link ProxySelector#getDefault()} are consulted unless
 * the application passes {@link #systemProperties()} or {@link #of(ProxySelector)}.
 *
 * <pre>{@code
 * client.setProxySelector(ClientProxySelector.systemProperties());           // -Dhttps.proxyHost=... etc.
 * client.setProxySelector(ClientProxySelector.of(ProxySelector.getDefault()).withCredentials("alice", pw));
 * }</pre>
 */
@FunctionalInterface
public interface ClientProxySelector {
    /**
     * The proxy for a connection to {@code target}, or empty to connect directly.
     *
     * @param target the {@code ws://} or {@code wss://} URI being opened
     */
    Optional<ClientProxy> select(URI target);

    /** Always connects directly (the default). */
    static ClientProxySelector direct() {
        return target -> Optional.empty();
    }

    /** Always goes through {@code proxy}. */
    static ClientProxySelector always(ClientProxy proxy) {
        Optional<ClientProxy> chosen = Optional.of(proxy);
        return target -> chosen;
    }

    /**
     * The proxy the standard JVM networking properties name, read at each connection: for {@code wss://}
     * {@code https.proxyHost} and {@code https.proxyPort} (default 443), for {@code ws://}
     * {@code http.proxyHost} and {@code http.proxyPort} (default 80), both an HTTP CONNECT proxy, skipped for
     * hosts {@code http.nonProxyHosts} matches; otherwise a SOCKS5 proxy from {@code socksProxyHost} and
     * {@code socksProxyPort} (default 1080), skipped for hosts {@code socksNonProxyHosts} matches. A
     * non-proxy list is patterns separated by {@code |}, each with an optional {@code *} at its start or end,
     * matched ignoring case; unset, it is {@code localhost|127.*|[::1]|0.0.0.0|[::0]}, as in the JDK.
     * Credentials are not read from properties: add them with {@link #withCredentials}.
     *
     * @throws IllegalArgumentException (from {@link #select}) if a port property is not a port, or
     *                                  {@code socksProxyVersion} is 4 (SOCKS4 is not supported)
     */
    static ClientProxySelector systemProperties() {
        return new SystemProxyProperties(System::getProperty);
    }

    /**
     * The first proxy {@code selector} names for the target, asked with the URI's {@code http} or
     * {@code https} counterpart ({@code ws://h:p/x} as {@code http://h:p}, {@code wss://} as {@code https://}),
     * the schemes the JDK's selectors know: {@link Proxy.Type#HTTP} is used as an HTTP CONNECT proxy,
     * {@link Proxy.Type#SOCKS} as SOCKS5, {@link Proxy.Type#DIRECT} (or an empty list) means direct. Later
     * entries of the list are not tried when the first fails. For the system's settings pass
     * {@link ProxySelector#getDefault()}.
     */
    static ClientProxySelector of(ProxySelector selector) {
        Objects.requireNonNull(selector, "selector");
        return target -> {
            URI asked = URI.create(("wss".equalsIgnoreCase(target.getScheme()) ? "https://" : "http://")
                    + target.getRawAuthority());
            return selector.select(asked).stream().findFirst().flatMap(ClientProxySelector::fromJdk);
        };
    }

    private static Optional<ClientProxy> fromJdk(Proxy proxy) {
        if (proxy.type() == Proxy.Type.DIRECT || !(proxy.address() instanceof InetSocketAddress)) {
            return Optional.empty();
        }
        InetSocketAddress address = (InetSocketAddress) proxy.address();
        return Optional.of(proxy.type() == Proxy.Type.HTTP
                ? ClientProxy.http(address.getHostString(), address.getPort())
                : ClientProxy.socks5(address.getHostString(), address.getPort()));
    }

    /**
     * This selector with credentials added to every proxy it picks (see
     * {@link ClientProxy#withCredentials}).
     *
     * @throws IllegalArgumentException (from {@link #select}) if the credentials do not fit the picked proxy
     */
    default ClientProxySelector withCredentials(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return target -> select(target).map(proxy -> proxy.withCredentials(username, password));
    }
}
