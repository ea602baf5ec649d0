package dev.wsnetty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which web pages may open a WebSocket to a server, judged from the handshake's {@code Origin} header. This is the
 * defence against cross-site WebSocket hijacking: a browser sends the origin of the page that opens a WebSocket
 * (and the visitor's cookies with it), so a server must not let any page on the web talk to it in the visitor's
 * name. A refused handshake is answered with 403 and a reason.
 *
 * <p>Every setting lets requests <em>without</em> {@code Origin} pass: browsers always send it, so its absence
 * means a non-browser client, which could send any value it likes anyway. Immutable and thread-safe.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>passes</th></tr>
 *   <tr><td>{@link #sameOrigin()} (the server's default)</td><td>no {@code Origin}, or one whose host and port are
 *       those of the {@code Host} header (the page came from the server it connects to)</td></tr>
 *   <tr><td>{@link #of(String...)}</td><td>as {@code sameOrigin()}, plus the listed origins</td></tr>
 *   <tr><td>{@link #any()}</td><td>every request: only for servers that use no cookies or other ambient
 *       credentials</td></tr>
 * </table>
 */
public final class AllowedOrigins {
    private static final AllowedOrigins ANY = new AllowedOrigins(true, Set.of());
    private static final AllowedOrigins SAME_ORIGIN = new AllowedOrigins(false, Set.of());

    private final boolean any;
    /** The listed origins, lower case, each {@code scheme://host:port} with the port always written. */
    private final Set<String> listed;

    private AllowedOrigins(boolean any, Set<String> listed) {
        this.any = any;
        this.listed = listed;
    }

    /** Requests without {@code Origin} and same-origin browser requests ({@code Origin}'s host:port is {@code Host}). */
    public static AllowedOrigins sameOrigin() {
        return SAME_ORIGIN;
    }

    /** Every request, whatever its {@code Origin}. */
    public static AllowedOrigins any() {
        return ANY;
    }

    /**
     * {@link #sameOrigin()} plus exactly the listed origins, compared ignoring case, with default ports (80 for
     * http, 443 for https) written or not.
     *
     * @param origins origins of the form {@code scheme://host[:port]}, e.g. {@code https://app.example.com}
     * @throws IllegalArgumentException if an entry is not of that form (a path, a query or no host)
     */
    public static AllowedOrigins of(String... origins) {
        Set<String> listed = new LinkedHashSet<>();
        for (String origin : origins) {
            String normal = normalize(Objects.requireNonNull(origin, "origin"));
            if (normal == null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port], no path): \"" + origin + '"');
            }
            listed.add(normal);
        }
        return new AllowedOrigins(false, Collections.unmodifiableSet(listed));
    }

    /**
     * Whether a handshake may proceed.
     *
     * @param originOrNull the {@code Origin} header, {@code null} when the request has none
     * @param hostOrNull   the {@code Host} header, {@code null} or empty when the request has none
     */
    public boolean allows(String originOrNull, String hostOrNull) {
        if (any || originOrNull == null) {
            return true;
        }
        String origin = normalize(originOrNull);
        if (origin == null) {
            return false; // "null" (a sandboxed page, a file) or garbage: no page of ours
        }
        return listed.contains(origin) || origin.equals(sameOriginFor(origin, hostOrNull));
    }

    @Override
    public String toString() {
        if (any) {
            return "AllowedOrigins.any()";
        }
        return listed.isEmpty() ? "AllowedOrigins.sameOrigin()" : "AllowedOrigins.of(same origin, " + listed + ')';
    }

    /** The origin a page served by {@code host} would send, in the scheme of {@code origin}; null without a host. */
    private static String sameOriginFor(String origin, String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String scheme = origin.substring(0, origin.indexOf("://"));
        return normalize(scheme + "://" + host);
    }

    /** {@code scheme://host:port} in lower case with the port written, or null if {@code origin} is not one. */
    private static String normalize(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ':' + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int defaultPort(String scheme) {
        return Arrays.asList("https", "wss").contains(scheme) ? 443 : 80;
    }
}
