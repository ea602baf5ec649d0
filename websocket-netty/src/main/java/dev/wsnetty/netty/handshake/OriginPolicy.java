package dev.wsnetty.netty.handshake;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Decides from the {@code Origin} header whether a handshake may proceed; a refusal is answered with
 * 403. This is the defence against cross-site WebSocket hijacking: a browser always sends the origin of
 * the page that opens a WebSocket, and the server must not let any page use the visitor's cookies.
 *
 * <p>A request <em>without</em> {@code Origin} is allowed by every factory here: browsers always send
 * it, so its absence means a non-browser client, which could send any value it likes anyway.
 */
@FunctionalInterface
public interface OriginPolicy {
    /**
     * Whether a handshake with this origin may proceed.
     *
     * @param originOrNull the {@code Origin} header, {@code null} if missing
     * @param request      the whole request, for policies that compare with other headers
     */
    boolean allows(String originOrNull, HandshakeRequest request);

    /**
     * Allows every origin. The default of {@link WebSocketEndpoint#originPolicy()}: a library cannot know
     * which sites are the application's own, so protection needs the application's allow-list.
     */
    static OriginPolicy any() {
        return (origin, request) -> true;
    }

    /**
     * Allows exactly the given origins ({@code scheme://host[:port]}, no path), compared ignoring case,
     * plus requests without {@code Origin}.
     *
     * @throws IllegalArgumentException if an entry is not of the form {@code scheme://host[:port]}
     */
    static OriginPolicy allowList(String... origins) {
        Set<String> allowed = new HashSet<>();
        for (String o : origins) {
            allowed.add(checkOrigin(o).toLowerCase(Locale.ROOT));
        }
        return (origin, request) -> origin == null || allowed.contains(origin.toLowerCase(Locale.ROOT));
    }

    /**
     * Allows origins whose {@code host[:port]} equals the request's {@code Host} header, ignoring case
     * (the page was served by the host the WebSocket connects to), plus requests without {@code Origin}.
     * Ports are compared as written: browsers leave default ports out of both headers.
     */
    static OriginPolicy sameHost() {
        return (origin, request) -> {
            if (origin == null) {
                return true;
            }
            int start = origin.indexOf("://");
            return start > 0 && origin.substring(start + 3).equalsIgnoreCase(request.host());
        };
    }

    private static String checkOrigin(String origin) {
        Objects.requireNonNull(origin, "origin");
        try {
            URI uri = new URI(origin);
            if (uri.getScheme() != null && uri.getHost() != null && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return origin;
            }
        } catch (URISyntaxException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
    }
}
