package dev.wsnetty.netty.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * Server TLS contexts from PEM files, a keystore, or a key in memory, with the {@link TlsConfig} applied
 * (provider, protocol versions, ALPN). Key and certificate are checked to belong together first, so a mismatch
 * is an error naming the files rather than a failed handshake later.
 *
 * <pre>{@code
 * SslContext tls = ServerTlsContexts.fromPem(Path.of("fullchain.pem"), Path.of("key.pem"));
 * WebSocketServer server = new WebSocketServer(null, 8443, tls);
 * }</pre>
 */
public final class ServerTlsContexts {
    private ServerTlsContexts() {
    }

    /**
     * A context from a PEM certificate chain and an unencrypted PEM PKCS#8 key, with {@link TlsConfig#DEFAULT}.
     *
     * @throws TlsMaterialException naming the file and the problem
     * @throws IOException          if the TLS provider rejects the material
     */
    public static SslContext fromPem(Path certificateChain, Path privateKey) throws IOException {
        return fromPem(certificateChain, privateKey, null, TlsConfig.DEFAULT);
    }

    /**
     * A context from a PEM certificate chain (own certificate first) and a PEM PKCS#8 key.
     *
     * @param password the key's password if it is an {@code ENCRYPTED PRIVATE KEY}, else null
     * @throws TlsMaterialException naming the file and the problem: missing file, malformed PEM, wrong or missing
     *                              password, key not matching the certificate
     * @throws IOException          if the TLS provider rejects the material
     */
    public static SslContext fromPem(Path certificateChain, Path privateKey, char[] password, TlsConfig settings)
            throws IOException {
        return forKey(CertifiedKey.fromPem(certificateChain, privateKey, password), settings);
    }

    /**
     * A context from the key entry of a PKCS#12 or JKS keystore.
     *
     * @param alias the entry, or null for the store's only key
     * @throws TlsMaterialException naming the file and the problem: missing file, not a keystore, wrong password,
     *                              unknown alias, key not matching the certificate
     * @throws IOException          if the TLS provider rejects the material
     */
    public static SslContext fromKeyStore(Path keyStore, char[] password, String alias, TlsConfig settings)
            throws IOException {
        return forKey(CertifiedKey.fromKeyStore(keyStore, password, alias), settings);
    }

    /**
     * A context for a freshly made self-signed certificate for {@code localhost} and 127.0.0.1 (see
     * {@link SelfSignedCertificates#localhost()}): for development only, since no client trusts it unless told to.
     */
    public static SslContext selfSigned() throws IOException {
        return SelfSignedCertificates.localhost().serverContext();
    }

    /** A context presenting {@code key}. */
    public static SslContext forKey(CertifiedKey key, TlsConfig settings) throws IOException {
        SslContextBuilder builder = SslContextBuilder.forServer(key.privateKey(),
                key.chain().toArray(new X509Certificate[0]));
        return settings.applyTo(builder).build();
    }
}
