package dev.wsnetty.netty.handshake;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps the {@code Host} header and request target of a handshake to an endpoint, with the rules of the
 * original LazWebsockets {@code RegisterHandler}:
 * <ul>
 *   <li>the host is matched exactly and case-sensitively, port included ({@code localhost} does not match
 *       {@code Host: localhost:8080});</li>
 *   <li>the path is matched exactly and case-sensitively, query included ({@code /chat} does not match
 *       {@code /chat?room=1});</li>
 *   <li>an unknown host falls to the <em>default host</em>, if one was set, and is then looked up in that
 *       host's paths only;</li>
 *   <li>an unknown path falls to that host's <em>default path</em>, if one was set;</li>
 *   <li>there is no global fallback and {@code *} is an ordinary string: {@code register("*", "*", e, true, true)}
 *       catches everything only because it sets both defaults.</li>
 * </ul>
 * A default path is kept as a path, not as an endpoint, so re-registering that path moves the default
 * to the new endpoint (the original kept pointing at the replaced handler, which it had freed).
 *
 * <p>Thread-safe: registration may happen while connections are being routed. Each change publishes a
 * new immutable table, so {@link #route} takes no lock.
 *
 * @param <E> what a route leads to, e.g. an {@link WebSocketEndpoint}
 */
public final class HandlerRouter<E> {
    private volatile Table<E> table = new Table<>(Map.of(), null);

    /** Creates an empty router: every lookup answers {@code null} until something is registered. */
    public HandlerRouter() {
    }

    /**
     * Registers {@code endpoint} for an exact host and path, neither default.
     *
     * @return the endpoint previously registered for that host and path, or {@code null}
     */
    public E register(String host, String path, E endpoint) {
        return register(host, path, endpoint, false, false);
    }

    /**
     * Registers {@code endpoint} for an exact host and path.
     *
     * @param host        the {@code Host} header value to match, port included
     * @param path        the request target to match, query included
     * @param endpoint    what the route leads to
     * @param defaultHost make {@code host} the host used for requests whose host is not registered
     * @param defaultPath make {@code path} the path used, within {@code host}, for unregistered paths
     * @return the endpoint previously registered for that host and path (now replaced), or {@code null}
     */
    public synchronized E register(String host, String path, E endpoint, boolean defaultHost, boolean defaultPath) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        Table<E> old = table;
        HostRoutes<E> oldHost = old.hosts.get(host);
        Map<String, E> paths = oldHost == null ? new HashMap<>() : new HashMap<>(oldHost.paths);
        E previous = paths.put(path, endpoint);
        String hostDefaultPath = defaultPath ? path : oldHost == null ? null : oldHost.defaultPath;
        Map<String, HostRoutes<E>> hosts = new HashMap<>(old.hosts);
        hosts.put(host, new HostRoutes<>(Map.copyOf(paths), hostDefaultPath));
        table = new Table<>(Map.copyOf(hosts), defaultHost ? host : old.defaultHost);
        return previous;
    }

    /**
     * Removes the endpoint registered for exactly this host and path. Defaults that name them stay set
     * and simply find nothing until the path is registered again.
     *
     * @return the removed endpoint, or {@code null} if none was registered there
     */
    public synchronized E unregister(String host, String path) {
        Table<E> old = table;
        HostRoutes<E> oldHost = old.hosts.get(host);
        if (oldHost == null || !oldHost.paths.containsKey(path)) {
            return null;
        }
        Map<String, E> paths = new HashMap<>(oldHost.paths);
        E removed = paths.remove(path);
        Map<String, HostRoutes<E>> hosts = new HashMap<>(old.hosts);
        hosts.put(host, new HostRoutes<>(Map.copyOf(paths), oldHost.defaultPath));
        table = new Table<>(Map.copyOf(hosts), old.defaultHost);
        return removed;
    }

    /**
     * Finds the endpoint for a request.
     *
     * @param host the raw {@code Host} header ({@code ""} when missing)
     * @param path the raw request target
     * @return the endpoint, or {@code null} when nothing matches (the caller answers 404)
     */
    public E route(String host, String path) {
        Table<E> t = table;
        HostRoutes<E> routes = t.hosts.get(host);
        if (routes == null && t.defaultHost != null) {
            routes = t.hosts.get(t.defaultHost);
        }
        if (routes == null) {
            return null;
        }
        E endpoint = routes.paths.get(path);
        if (endpoint == null && routes.defaultPath != null) {
            endpoint = routes.paths.get(routes.defaultPath);
        }
        return endpoint;
    }

    /** Every distinct endpoint registered right now (an endpoint registered under two routes appears once). */
    public List<E> endpoints() {
        Set<E> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (HostRoutes<E> routes : table.hosts.values()) {
            distinct.addAll(routes.paths.values());
        }
        return List.copyOf(distinct);
    }

    private static final class Table<E> {
        final Map<String, HostRoutes<E>> hosts;
        final String defaultHost;

        Table(Map<String, HostRoutes<E>> hosts, String defaultHost) {
            this.hosts = hosts;
            this.defaultHost = defaultHost;
        }
    }

    private static final class HostRoutes<E> {
        final Map<String, E> paths;
        final String defaultPath;

        HostRoutes(Map<String, E> paths, String defaultPath) {
            this.paths = paths;
            this.defaultPath = defaultPath;
        }
    }
}
