package dev.wsnetty.netty.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * Client TLS contexts with the {@link TlsConfig} applied (provider, protocol versions, ALPN) and hostname
 * verification on: the server's certificate must be valid for the host connected to, which each connection's
 * handler also sends as SNI.
 */
public final class ClientTlsContexts {
    /** The JDK's name for hostname verification as HTTPS does it (RFC 2818), which RFC 6455 §4.1 asks for. */
    private static final String HTTPS = "HTTPS";

    private ClientTlsContexts() {
    }

    /** A context trusting the system's certificate authorities (the JDK's {@code cacerts}). */
    public static SslContext systemTrust(TlsConfig settings) throws IOException {
        return settings.applyTo(SslContextBuilder.forClient().endpointIdentificationAlgorithm(HTTPS)).build();
    }

    /** A context trusting exactly the given certificates (e.g. a private CA, or a self-signed server certificate). */
    public static SslContext trusting(Collection<X509Certificate> trusted, TlsConfig settings) throws IOException {
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("no certificate to trust");
        }
        return settings.applyTo(SslContextBuilder.forClient().endpointIdentificationAlgorithm(HTTPS)
                .trustManager(trusted.toArray(new X509Certificate[0]))).build();
    }

    /**
     * A context trusting the certificates of a PEM file.
     *
     * @throws TlsMaterialException naming the file and the problem
     */
    public static SslContext trustingPem(Path certificates, TlsConfig settings) throws IOException {
        return trusting(PemFiles.readCertificates(certificates), settings);
    }
}
