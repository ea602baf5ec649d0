package dev.wsnetty.netty.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The {@code Origin} header's value as browsers send it: the ASCII serialization of an origin (RFC 6454 §6.2),
 * {@code scheme://host} with {@code :port} only when it is not the scheme's default, scheme and host in lower case,
 * no user info, path, query or fragment; or {@code null}, the opaque origin of sandboxed and {@code file:} pages.
 */
final class WebOrigin {
    private WebOrigin() {
    }

    /**
     * The serialization of the origin of {@code uri}, e.g. {@code "https://Example.com:443/app/?x"} gives
     * {@code "https://example.com"}.
     *
     * @throws IllegalArgumentException if it is not "null" and not a URI with a scheme and a host
     */
    static String serialize(String uri) {
        if (uri.equals("null")) {
            return uri;
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("origin '" + uri + "' is not a URI: " + e.getMessage(), e);
        }
        if (parsed.getScheme() == null || parsed.getHost() == null) {
            throw new IllegalArgumentException("origin '" + uri + "' is not scheme://host[:port], e.g."
                    + " https://example.com");
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        String host = parsed.getHost().toLowerCase(Locale.ROOT);
        int port = parsed.getPort();
        return scheme + "://" + host + (port == -1 || port == defaultPort(scheme) ? "" : ":" + port);
    }

    private static int defaultPort(String scheme) {
        switch (scheme) {
            case "http":
            case "ws":
                return 80;
            case "https":
            case "wss":
                return 443;
            default:
                return -1;
        }
    }
}
