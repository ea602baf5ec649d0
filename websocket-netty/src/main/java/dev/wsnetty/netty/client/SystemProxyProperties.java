package dev.wsnetty.netty.client;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link ClientProxySelector#systemProperties()}: the proxy the JVM's networking properties name for a
 * target, read from a property source at each selection (the system properties, or a map in tests).
 */
final class SystemProxyProperties implements ClientProxySelector {
    /** The JDK's value when a non-proxy property is unset: the loopback names and addresses. */
    static final String DEFAULT_NON_PROXY_HOSTS = "localhost|127.*|[::1]|0.0.0.0|[::0]";

    private final UnaryOperator<String> properties;

    /** A selector reading {@code properties}, which answers null for a property that is not set. */
    SystemProxyProperties(UnaryOperator<String> properties) {
        this.properties = properties;
    }

    @Override
    public Optional<ClientProxy> select(URI target) {
        String host = target.getHost();
        boolean secure = "wss".equalsIgnoreCase(target.getScheme());
        String prefix = secure ? "https" : "http";
        String httpProxy = properties.apply(prefix + ".proxyHost");
        if (httpProxy != null && !httpProxy.isBlank()) {
            if (matches(nonProxyHosts("http.nonProxyHosts"), host)) {
                return Optional.empty();
            }
            return Optional.of(ClientProxy.http(httpProxy.trim(), port(prefix + ".proxyPort", secure ? 443 : 80)));
        }
        String socksProxy = properties.apply("socksProxyHost");
        if (socksProxy != null && !socksProxy.isBlank()) {
            String version = properties.apply("socksProxyVersion");
            if (version != null && !version.trim().equals("5")) {
                throw new IllegalArgumentException("socksProxyVersion=" + version + " is not supported: only SOCKS5");
            }
            if (matches(nonProxyHosts("socksNonProxyHosts"), host)) {
                return Optional.empty();
            }
            return Optional.of(ClientProxy.socks5(socksProxy.trim(), port("socksProxyPort", 1080)));
        }
        return Optional.empty();
    }

    private String nonProxyHosts(String property) {
        String value = properties.apply(property);
        return value != null ? value : DEFAULT_NON_PROXY_HOSTS;
    }

    private int port(String property, int fallback) {
        String value = properties.apply(property);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return ClientHandshakeRequest.checkedPort(Integer.parseInt(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + property + "=" + value
                    + " is not a port (1 to 65535)", e);
        }
    }

    /**
     * Whether {@code host} matches one of the {@code |}-separated patterns: equal ignoring case, or with a
     * {@code *} at the pattern's start (a suffix) or end (a prefix). IPv6 addresses match with or without
     * brackets.
     */
    static boolean matches(String patterns, String host) {
        String h = unbracketed(host.toLowerCase(Locale.ROOT));
        for (String raw : patterns.split("\\|")) {
            String p = unbracketed(raw.trim().toLowerCase(Locale.ROOT));
            if (p.isEmpty()) {
                continue;
            }
            boolean match;
            if (p.equals("*")) {
                match = true;
            } else if (p.startsWith("*")) {
                match = h.endsWith(p.substring(1));
            } else if (p.endsWith("*")) {
                match = h.startsWith(p.substring(0, p.length() - 1));
            } else {
                match = h.equals(p);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static String unbracketed(String s) {
        return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }
}
