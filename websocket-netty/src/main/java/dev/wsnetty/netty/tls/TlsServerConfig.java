package dev.wsnetty.netty.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a server speaks TLS: a default context, and optionally other contexts chosen by the host name the client
 * sends as SNI (RFC 6066), so one port serves several names each with its own certificate; this fits the
 * server's routing of handshakes by {@code Host} to different handlers. Clients that send no SNI, or a name not
 * listed, get the default context. Immutable.
 *
 * <pre>{@code
 * TlsServerConfig tls = TlsServerConfig.builder(ServerTlsContexts.fromPem(defaultCert, defaultKey))
 *         .host("chat.example.com", ServerTlsContexts.fromPem(chatCert, chatKey))
 *         .host("*.api.example.com", ServerTlsContexts.fromPem(apiCert, apiKey))
 *         .build();
 * WebSocketServer server = new WebSocketServer(null, 443, tls);
 * }</pre>
 */
public final class TlsServerConfig {
    private final SslContext defaultContext;
    private final Map<String, SslContext> hostContexts;
    /** Null when no host has its own context: then no SNI handler is needed. */
    private final Mapping<String, SslContext> sniMapping;

    private TlsServerConfig(SslContext defaultContext, Map<String, SslContext> hostContexts) {
        this.defaultContext = defaultContext;
        this.hostContexts = Collections.unmodifiableMap(new LinkedHashMap<>(hostContexts));
        if (hostContexts.isEmpty()) {
            this.sniMapping = null;
        } else {
            DomainWildcardMappingBuilder<SslContext> builder = new DomainWildcardMappingBuilder<>(defaultContext);
            hostContexts.forEach(builder::add);
            this.sniMapping = builder.build();
        }
    }

    /** One context for every connection, no SNI selection. */
    public static TlsServerConfig of(SslContext context) {
        return builder(context).build();
    }

    /**
     * A builder.
     *
     * @param defaultContext the server context for clients without SNI or with a name not added
     */
    public static Builder builder(SslContext defaultContext) {
        return new Builder(defaultContext);
    }

    /** The context for clients without SNI or with a host name that has no context of its own. */
    public SslContext defaultContext() {
        return defaultContext;
    }

    /** The host names (or {@code *.domain} patterns, lower case) with their own contexts, in the order added. */
    public Map<String, SslContext> hostContexts() {
        return hostContexts;
    }

    /** The context a client sending {@code sniHostName} (null: no SNI) gets. */
    public SslContext contextFor(String sniHostName) {
        return sniMapping == null ? defaultContext : sniMapping.map(sniHostName);
    }

    /** Whether some host has a context of its own, so that the client's SNI must be read to choose one. */
    public boolean hasHostContexts() {
        return sniMapping != null;
    }

    @Override
    public String toString() {
        return "TlsServerConfig[hosts=" + hostContexts.keySet() + "]";
    }

    /** Builds a {@link TlsServerConfig}. */
    public static final class Builder {
        private final SslContext defaultContext;
        private final Map<String, SslContext> hostContexts = new LinkedHashMap<>();

        private Builder(SslContext defaultContext) {
            this.defaultContext = serverContext(defaultContext);
        }

        /**
         * Serves clients sending {@code hostName} as SNI with {@code context}.
         *
         * @param hostName a host name ({@code chat.example.com}) or a one-label wildcard ({@code *.example.com},
         *                 which matches {@code a.example.com} but not {@code example.com} or
         *                 {@code a.b.example.com}); case does not matter
         * @throws IllegalArgumentException if the name was added before, or the context is a client context
         */
        public Builder host(String hostName, SslContext context) {
            Objects.requireNonNull(hostName, "hostName");
            String name = hostName.toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.startsWith(".") || (name.contains("*") && !name.startsWith("*."))
                    || name.indexOf('*', 1) >= 0) {
                throw new IllegalArgumentException("not a host name or *.domain pattern: \"" + hostName + "\"");
            }
            if (hostContexts.putIfAbsent(name, serverContext(context)) != null) {
                throw new IllegalArgumentException("host \"" + hostName + "\" was added already");
            }
            return this;
        }

        /** The configuration. */
        public TlsServerConfig build() {
            return new TlsServerConfig(defaultContext, hostContexts);
        }

        private static SslContext serverContext(SslContext context) {
            Objects.requireNonNull(context, "context");
            if (context.isClient()) {
                throw new IllegalArgumentException("sslContext is a client context; build one with "
                        + "ServerTlsContexts or SslContextBuilder.forServer()");
            }
            return context;
        }
    }
}
