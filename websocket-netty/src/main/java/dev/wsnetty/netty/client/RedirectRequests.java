package dev.wsnetty.netty.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request a redirect leads to (see {@link RedirectPolicy} for the rules): where the {@code Location} points,
 * whether going there is allowed, and which of the current request's settings go along. No I/O.
 */
final class RedirectRequests {
    /** Credentials meant for one origin only (lower case). */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "proxy-authorization", "cookie");

    private RedirectRequests() {
    }

    /**
     * The absolute {@code ws://} or {@code wss://} URI a {@code Location} value names, resolved against the URI of
     * {@code current}; {@code http} becomes {@code ws} and {@code https} {@code wss}, a fragment is dropped.
     *
     * @throws IllegalArgumentException if it is not a URI, has another scheme, or would go from wss to ws (the
     *                                  message says which)
     */
    static URI target(ClientHandshakeRequest current, String location) {
        URI resolved;
        try {
            resolved = current.uri().resolve(new URI(location.trim()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("its Location '" + location + "' is not a valid URI: "
                    + e.getMessage(), e);
        }
        String scheme = resolved.getScheme() == null ? "" : resolved.getScheme().toLowerCase(Locale.ROOT);
        String rest = resolved.toString().substring(scheme.length());
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        URI target;
        switch (scheme) {
            case "ws", "http" -> target = URI.create("ws" + rest);
            case "wss", "https" -> target = URI.create("wss" + rest);
            default -> throw new IllegalArgumentException("its Location '" + location
                    + "' is not a ws, wss, http or https URI");
        }
        if (current.tls() && target.getScheme().equals("ws")) {
            throw new IllegalArgumentException("it goes from wss to ws (" + current.uri() + " -> " + target
                    + "), which would send the request in clear text; the client never follows such a redirect");
        }
        return target;
    }

    /**
     * The request for {@code target}: subprotocols, {@code Origin} and config as in {@code current}; custom headers
     * too, except credentials when the origin changes and a custom {@code Host} when host or port change.
     *
     * @throws IllegalArgumentException if {@code target} is not a URI a client can open (e.g. it has user info)
     */
    static ClientHandshakeRequest next(ClientHandshakeRequest current, URI target) {
        ClientHandshakeRequest.Builder b = ClientHandshakeRequest.fromUri(target)
                .subprotocols(current.subprotocols())
                .config(current.config());
        current.origin().ifPresent(b::origin);
        ClientHandshakeRequest bare = b.build();
        boolean sameServer = bare.host().equalsIgnoreCase(current.host()) && bare.port() == current.port();
        boolean sameOrigin = sameServer && bare.tls() == current.tls();
        for (Map.Entry<String, String> h : current.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            boolean dropped = (!sameOrigin && CREDENTIALS.contains(name)) || (!sameServer && name.equals("host"));
            if (!dropped) {
                b.header(h.getKey(), h.getValue());
            }
        }
        return b.build();
    }
}
