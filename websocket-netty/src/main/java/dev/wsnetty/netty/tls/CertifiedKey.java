package dev.wsnetty.netty.tls;

import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain (own certificate first): what a TLS server presents. Made by
 * {@link SelfSignedCertificates}, or loaded with {@link #fromPem} and {@link #fromKeyStore}, which check that the
 * key belongs to the certificate.
 */
public final class CertifiedKey {
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    /**
     * A key and its chain, checked to belong together.
     *
     * @throws TlsMaterialException     if the key is not the private half of the first certificate's key
     * @throws IllegalArgumentException if the chain is empty
     */
    public static CertifiedKey of(PrivateKey privateKey, List<X509Certificate> chain) throws TlsMaterialException {
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
        KeyPairCheck.check(privateKey, chain.get(0).getPublicKey(), null,
                "certificate " + chain.get(0).getSubjectX500Principal());
        return new CertifiedKey(privateKey, chain);
    }

    private CertifiedKey(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
    }

    /**
     * Loads a PEM certificate chain and a PEM PKCS#8 private key and checks they belong together.
     *
     * @param certificateChain the certificates, own certificate first
     * @param privateKey       the key, plain or encrypted
     * @param password         the key's password, or null for a plain key
     * @throws TlsMaterialException naming the file and the problem, or the key file when
     *                              the key does not match the certificate
     */
    public static CertifiedKey fromPem(Path certificateChain, Path privateKey, char[] password)
            throws TlsMaterialException {
        List<X509Certificate> chain = PemFiles.readCertificates(certificateChain);
        PrivateKey key = PemFiles.readPrivateKey(privateKey, password);
        KeyPairCheck.check(key, chain.get(0).getPublicKey(), privateKey, privateKey + " and " + certificateChain);
        return new CertifiedKey(key, chain);
    }

    /**
     * Loads a key entry of a PKCS#12 or JKS keystore (the type is recognised from the content) and checks the
     * key belongs to the certificate. The key's password is the store's, as keytool and OpenSSL make them.
     *
     * @param alias the entry, or null for the only key entry of the store
     * @throws TlsMaterialException naming the file and the problem: missing, not a keystore, wrong password, no
     *                              such alias (the ones there are listed), several keys and no alias, no key
     */
    public static CertifiedKey fromKeyStore(Path keyStore, char[] password, String alias) throws TlsMaterialException {
        return KeyStoreFiles.load(keyStore, password, alias);
    }

    /** Builds the checked object from parts whose match was already verified. */
    static CertifiedKey checked(PrivateKey privateKey, List<X509Certificate> chain) {
        return new CertifiedKey(privateKey, chain);
    }

    /** The private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The server's own certificate (the first of the chain). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The certificate chain, own certificate first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** A server context presenting this key and chain, with {@link TlsConfig#DEFAULT}. */
    public SslContext serverContext() throws IOException {
        return serverContext(TlsConfig.DEFAULT);
    }

    /** A server context presenting this key and chain. */
    public SslContext serverContext(TlsConfig settings) throws IOException {
        return ServerTlsContexts.forKey(this, settings);
    }

    /**
     * A client context that trusts this certificate only (not the system's CAs), with hostname verification
     * on: for tests and development against a server presenting it.
     */
    public SslContext trustingClientContext(TlsConfig settings) throws IOException {
        return ClientTlsContexts.trusting(List.of(certificate()), settings);
    }

    /** {@link #trustingClientContext(TlsConfig)} with {@link TlsConfig#DEFAULT}. */
    public SslContext trustingClientContext() throws IOException {
        return trustingClientContext(TlsConfig.DEFAULT);
    }

    /**
     * Writes the chain and the (unencrypted) key as PEM files, e.g. for another process or for
     * {@code openssl s_client -CAfile}.
     */
    public void writePem(Path certificateChain, Path privateKey) throws IOException {
        PemFiles.writeCertificates(certificateChain, chain);
        PemFiles.writePrivateKey(privateKey, this.privateKey);
    }

    @Override
    public String toString() {
        return "CertifiedKey[" + certificate().getSubjectX500Principal() + ", " + privateKey.getAlgorithm() + "]";
    }
}
