package dev.wsnetty.netty.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContextBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The TLS choices shared by server and client contexts: the {@link TlsProvider}, the protocol versions
 * enabled, and the ALPN protocols advertised. Immutable; {@link #DEFAULT} is AUTO, TLS 1.3 and 1.2, ALPN
 * {@code http/1.1} (the WebSocket handshake is HTTP/1.1, RFC 6455 §4.1).
 */
public final class TlsConfig {
    /** TLS 1.3. */
    public static final String TLS_1_3 = "TLSv1.3";
    /** TLS 1.2. */
    public static final String TLS_1_2 = "TLSv1.2";
    /** AUTO provider, TLS 1.3 and 1.2, ALPN {@code http/1.1}. */
    public static final TlsConfig DEFAULT = builder().build();

    private final TlsProvider provider;
    private final List<String> protocols;
    private final List<String> applicationProtocols;

    private TlsConfig(Builder b) {
        this.provider = b.provider;
        this.protocols = List.copyOf(b.protocols);
        this.applicationProtocols = List.copyOf(b.applicationProtocols);
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder().provider(provider).protocols(protocols.toArray(new String[0]))
                .applicationProtocols(applicationProtocols.toArray(new String[0]));
    }

    /** Which TLS implementation. */
    public TlsProvider provider() {
        return provider;
    }

    /** The protocol versions enabled, e.g. {@code [TLSv1.3, TLSv1.2]}. */
    public List<String> protocols() {
        return protocols;
    }

    /** The ALPN protocols advertised, most preferred first; empty for no ALPN. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** Applies provider, protocols and ALPN to a Netty context builder (server or client). */
    SslContextBuilder applyTo(SslContextBuilder builder) {
        builder.sslProvider(provider.sslProvider()).protocols(protocols);
        if (!applicationProtocols.isEmpty()) {
            // NO_ADVERTISE and ACCEPT are the behaviours both providers support: a peer that offers no protocol
            // we know still gets its handshake, just without ALPN.
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, applicationProtocols));
        }
        return builder;
    }

    @Override
    public String toString() {
        return "TlsConfig[provider=" + provider + ", protocols=" + protocols + ", alpn=" + applicationProtocols + "]";
    }

    /** Builds {@link TlsConfig}. */
    public static final class Builder {
        private TlsProvider provider = TlsProvider.AUTO;
        private List<String> protocols = List.of(TLS_1_3, TLS_1_2);
        private List<String> applicationProtocols = List.of(ApplicationProtocolNames.HTTP_1_1);

        private Builder() {
        }

        /** The TLS implementation (default {@link TlsProvider#AUTO}). */
        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * The protocol versions to enable (default TLS 1.3 and 1.2).
         *
         * @param protocols one or both of {@link #TLS_1_3} and {@link #TLS_1_2}
         * @throws IllegalArgumentException if none is given or one is another version (older ones are broken)
         */
        public Builder protocols(String... protocols) {
            if (protocols.length == 0) {
                throw new IllegalArgumentException("at least one TLS protocol version is needed");
            }
            List<String> checked = new ArrayList<>();
            for (String p : protocols) {
                if (!TLS_1_3.equals(p) && !TLS_1_2.equals(p)) {
                    throw new IllegalArgumentException("TLS protocol version must be " + TLS_1_3 + " or " + TLS_1_2
                            + ", was " + p + " (older versions are not secure)");
                }
                if (!checked.contains(p)) {
                    checked.add(p);
                }
            }
            this.protocols = checked;
            return this;
        }

        /**
         * The ALPN protocols to advertise, most preferred first (default {@code http/1.1}); none for no ALPN.
         *
         * @throws IllegalArgumentException if one is empty
         */
        public Builder applicationProtocols(String... protocols) {
            for (String p : protocols) {
                if (p == null || p.isEmpty()) {
                    throw new IllegalArgumentException("an ALPN protocol name cannot be empty");
                }
            }
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /** The settings. */
        public TlsConfig build() {
            return new TlsConfig(this);
        }
    }
}
