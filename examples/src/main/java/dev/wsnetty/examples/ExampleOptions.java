package dev.wsnetty.examples;

import dev.wsnetty.redis.RedisBridgeConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The options of one example run, parsed from the command line: {@code --host}, {@code --port}, (client)
 * {@code --url} and {@code --trust}, (servers) {@code --cert} and {@code --key}, (broadcast-server)
 * {@code --redis}, {@code --tls} and {@code --help}. Values follow their option as the next argument or after
 * {@code =} ({@code --port 9000}, {@code --port=9000}). Immutable.
 */
public final class ExampleOptions {
    /** The port of the original examples. */
    public static final int DEFAULT_PORT = 8080;
    /** Where the servers listen by default: every interface, as the original's {@code Create(8080)}. */
    public static final String DEFAULT_SERVER_HOST = "0.0.0.0";
    /** Where the client connects by default, as the original's {@code 127.0.0.1:8080}. */
    public static final String DEFAULT_CLIENT_HOST = "127.0.0.1";

    private final ExampleKind kind;
    private final String host;
    private final int port;
    private final URI url;
    private final boolean tls;
    private final Path cert;
    private final Path key;
    private final Path trust;
    private final boolean help;
    /** broadcast-server: the Redis URI of {@code --redis}; null without it. */
    private final String redis;

    private ExampleOptions(ExampleKind kind, String host, int port, URI url, boolean tls, Path cert, Path key,
                           Path trust, boolean help, String redis) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.url = url;
        this.tls = tls;
        this.cert = cert;
        this.key = key;
        this.trust = trust;
        this.help = help;
        this.redis = redis;
    }

    /**
     * The defaults of {@code kind}: port 8080, host 0.0.0.0 (servers) or 127.0.0.1 (client), no TLS.
     *
     * @param kind the example
     */
    public static ExampleOptions defaults(ExampleKind kind) {
        Objects.requireNonNull(kind, "kind");
        return new ExampleOptions(kind, kind.isServer() ? DEFAULT_SERVER_HOST : DEFAULT_CLIENT_HOST, DEFAULT_PORT,
                null, false, null, null, null, false, null);
    }

    /**
     * Parses the arguments that follow the example's name.
     *
     * @param kind the example they are for
     * @param args the arguments
     * @return the options
     * @throws UsageException if an option is unknown, lacks its value, has a bad value or does not apply
     */
    public static ExampleOptions parse(ExampleKind kind, String... args) throws UsageException {
        ExampleOptions defaults = defaults(kind);
        String host = null;
        Integer port = null;
        URI url = null;
        boolean tls = false;
        Path cert = null;
        Path key = null;
        Path trust = null;
        boolean help = false;
        String redis = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help":
                case "-h":
                    help = true;
                    break;
                case "--tls":
                    if (value != null) {
                        throw new UsageException("--tls takes no value");
                    }
                    tls = true;
                    break;
                case "--cert":
                case "--key":
                    if (!kind.isServer()) {
                        throw new UsageException(name + " is an option of the servers; chat-client takes --trust");
                    }
                    Path file = Path.of(value != null ? value : valueAfter(args, i++));
                    if (name.equals("--cert")) {
                        cert = file;
                    } else {
                        key = file;
                    }
                    tls = true;
                    break;
                case "--trust":
                    if (kind.isServer()) {
                        throw new UsageException("--trust is an option of chat-client; the servers take --cert and --key");
                    }
                    trust = Path.of(value != null ? value : valueAfter(args, i++));
                    tls = true;
                    break;
                case "--host":
                    host = value != null ? value : valueAfter(args, i++);
                    if (host.isBlank()) {
                        throw new UsageException("--host needs a host name or address");
                    }
                    break;
                case "--port":
                    port = parsePort(kind, value != null ? value : valueAfter(args, i++));
                    break;
                case "--url":
                    if (kind.isServer()) {
                        throw new UsageException("--url is an option of chat-client; a server takes --host and --port");
                    }
                    url = parseUrl(value != null ? value : valueAfter(args, i++));
                    break;
                case "--redis":
                    if (kind != ExampleKind.BROADCAST_SERVER) {
                        throw new UsageException("--redis is an option of broadcast-server");
                    }
                    redis = parseRedis(value != null ? value : valueAfter(args, i++));
                    break;
                default:
                    throw new UsageException("unknown option \"" + arg + "\" for " + kind.commandName());
            }
        }
        if (url != null && (host != null || port != null)) {
            throw new UsageException("give either --url or --host/--port, not both");
        }
        if ((cert == null) != (key == null)) {
            throw new UsageException("--cert and --key go together: the certificate chain and its private key (PEM)");
        }
        if (url != null && url.getScheme().equalsIgnoreCase("wss")) {
            tls = true;
        }
        if (url != null && tls && !url.getScheme().equalsIgnoreCase("wss")) {
            throw new UsageException("--tls and --trust go with a wss:// URL, plain connections with ws://");
        }
        return new ExampleOptions(kind, host != null ? host : defaults.host, port != null ? port : defaults.port,
                url, tls, cert, key, trust, help, redis);
    }

    private static String valueAfter(String[] args, int i) throws UsageException {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    private static int parsePort(ExampleKind kind, String text) throws UsageException {
        int min = kind.isServer() ? 0 : 1;
        try {
            int port = Integer.parseInt(text);
            if (port >= min && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageException("--port needs a number from " + min + " to 65535, got \"" + text + "\"");
    }

    private static URI parseUrl(String text) throws UsageException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException("--url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new UsageException("--url needs a ws:// or wss:// URL, got \"" + text + "\"");
        }
        if (uri.getHost() == null) {
            throw new UsageException("--url needs a host, as in ws://127.0.0.1:8080/, got \"" + text + "\"");
        }
        return uri;
    }

    private static String parseRedis(String text) throws UsageException {
        try {
            RedisBridgeConfig.builder(text);
            return text;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--redis needs a Redis URI such as redis://127.0.0.1:6379: " + e.getMessage());
        }
    }

    /** The example these options are for. */
    public ExampleKind kind() {
        return kind;
    }

    /** Servers: the address to listen on. Client: the server's host (used when there is no {@link #url()}). */
    public String host() {
        return host;
    }

    /** Servers: the port to listen on, 0 for any free one. Client: the server's port (without {@link #url()}). */
    public int port() {
        return port;
    }

    /** Whether {@code --tls} was given. */
    public boolean tls() {
        return tls;
    }

    /** Servers: the PEM certificate chain of {@code --cert}, or null for a self-signed development certificate. */
    public Path cert() {
        return cert;
    }

    /** Servers: the PEM private key of {@code --key} (PKCS#8), or null. */
    public Path key() {
        return key;
    }

    /** Client: the PEM certificates of {@code --trust} to trust instead of the system's, or null. */
    public Path trust() {
        return trust;
    }

    /** broadcast-server: the Redis URI of {@code --redis} (the cluster to join), or null to stay alone. */
    public String redis() {
        return redis;
    }

    /** Whether {@code --help} was given. */
    public boolean help() {
        return help;
    }

    /**
     * The URL the client connects to: {@code --url}, else {@code ws://host:port/} ({@code wss://} with
     * {@code --tls}), path {@code /} as in the original chat client.
     */
    public URI url() {
        if (url != null) {
            return url;
        }
        String scheme = tls ? "wss" : "ws";
        return URI.create(scheme + "://" + Addresses.reachableHost(host) + ':' + port + '/');
    }
}
