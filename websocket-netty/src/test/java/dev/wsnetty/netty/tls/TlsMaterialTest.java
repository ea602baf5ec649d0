package dev.wsnetty.netty.tls;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading keys and certificates from PEM files and keystores: what works (plain and OpenSSL-encrypted PKCS#8,
 * PKCS#12 and JKS, with and without alias) and each error, whose message must name the file and the problem.
 */
class TlsMaterialTest {
    private static final char[] PASSWORD = "s3cret".toCharArray();

    @TempDir
    static Path dir;
    private static CertifiedKey ec;
    private static CertifiedKey otherEc;
    private static CertifiedKey rsa;
    private static CertifiedKey otherRsa;
    private static Path ecCert;
    private static Path ecKey;

    @BeforeAll
    static void material() throws Exception {
        ec = SelfSignedCertificates.localhost();
        otherEc = SelfSignedCertificates.localhost();
        rsa = SelfSignedCertificates.builder("localhost").keyType(SelfSignedCertificates.KeyType.RSA_2048).build();
        otherRsa = SelfSignedCertificates.builder("localhost").keyType(SelfSignedCertificates.KeyType.RSA_2048).build();
        ecCert = dir.resolve("ec-cert.pem");
        ecKey = dir.resolve("ec-key.pem");
        ec.writePem(ecCert, ecKey);
    }

    // ---------------------------------------------------------------- PEM that works

    @Test
    void pemFilesMakeAServerThatAClientTrustingThePemCertificateTalksTo() throws Exception {
        SslContext server = ServerTlsContexts.fromPem(ecCert, ecKey);
        SslContext client = ClientTlsContexts.trustingPem(ecCert, TlsConfig.DEFAULT);
        try (WebSocketServerFixture echo = WebSocketServerFixture.tlsEcho(TlsServerConfig.of(server))) {
            Communicator c = WebSocketClient.of("wss://localhost:" + echo.port() + "/").connectOrThrow(client);
            c.writeStringMessage("from PEM");
            assertEquals("from PEM", c.waitForStringMessage(Duration.ofSeconds(10)).data());
            c.close();
            c.awaitClose(Duration.ofSeconds(10));
        }
    }

    @Test
    void rsaPemAndAChainKeepTheirOrder() throws Exception {
        Path cert = dir.resolve("rsa-chain.pem");
        Path key = dir.resolve("rsa-key.pem");
        rsa.writePem(cert, key);
        // A "chain": the server certificate followed by another one, as a fullchain.pem has its intermediates.
        Files.writeString(cert, Files.readString(cert) + Files.readString(pem(otherEc, "other")));
        CertifiedKey loaded = CertifiedKey.fromPem(cert, key, null);
        assertEquals(List.of(rsa.certificate(), otherEc.certificate()), loaded.chain());
        assertArrayEquals(rsa.privateKey().getEncoded(), loaded.privateKey().getEncoded());
    }

    @Test
    void keyEncryptedByOpenSslIsReadWithItsPassword() throws Exception {
        Path encrypted = opensslEncrypted(ecKey, "ec-key-encrypted.pem");
        assertTrue(Files.readString(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertArrayEquals(ec.privateKey().getEncoded(), PemFiles.readPrivateKey(encrypted, PASSWORD).getEncoded());
        ServerTlsContexts.fromPem(ecCert, encrypted, PASSWORD, TlsConfig.DEFAULT);

        assertError(encrypted, "wrong password for the encrypted private key",
                () -> PemFiles.readPrivateKey(encrypted, "wrong".toCharArray()));
        assertError(encrypted, "the private key is encrypted; give its password",
                () -> ServerTlsContexts.fromPem(ecCert, encrypted));
    }

    // ---------------------------------------------------------------- PEM errors

    @Test
    void missingFiles() {
        Path nowhere = dir.resolve("missing.pem");
        assertError(nowhere, "file not found", () -> ServerTlsContexts.fromPem(nowhere, ecKey));
        assertError(nowhere, "file not found", () -> ServerTlsContexts.fromPem(ecCert, nowhere));
    }

    @Test
    void malformedPem() throws Exception {
        Path notPem = write("not-pem.pem", "hello, I am no certificate\n");
        assertError(notPem, "no PEM certificate found", () -> PemFiles.readCertificates(notPem));
        assertError(notPem, "no PEM private key found", () -> PemFiles.readPrivateKey(notPem, null));

        Path badBase64 = write("bad-base64.pem", "-----BEGIN CERTIFICATE-----\nMIIB**not base64**\n-----END CERTIFICATE-----\n");
        assertError(badBase64, "malformed PEM block \"CERTIFICATE\"", () -> PemFiles.readCertificates(badBase64));

        String junk = Base64.getMimeEncoder().encodeToString("forty-two bytes of something else entirely".getBytes());
        Path junkCert = write("junk-cert.pem", "-----BEGIN CERTIFICATE-----\n" + junk + "\n-----END CERTIFICATE-----\n");
        assertError(junkCert, "certificate 1 is not a valid X.509 certificate", () -> PemFiles.readCertificates(junkCert));
        Path junkKey = write("junk-key.pem", "-----BEGIN PRIVATE KEY-----\n" + junk + "\n-----END PRIVATE KEY-----\n");
        assertError(junkKey, "the private key is malformed or of an unsupported algorithm",
                () -> PemFiles.readPrivateKey(junkKey, null));

        Path pkcs1 = write("pkcs1.pem", "-----BEGIN RSA PRIVATE KEY-----\n" + junk + "\n-----END RSA PRIVATE KEY-----\n");
        assertError(pkcs1, "holds a \"RSA PRIVATE KEY\" (PKCS#1/SEC1 format); only PKCS#8 keys are read. Convert it "
                + "with: openssl pkcs8 -topk8", () -> PemFiles.readPrivateKey(pkcs1, null));
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() throws Exception {
        Path otherEcKey = keyFile(otherEc, "other-ec-key.pem");
        TlsMaterialException e = assertError(otherEcKey, otherEcKey + " and " + ecCert
                        + ": the private key does not match the certificate (a signature made with the key does not "
                        + "verify with the certificate's key)", () -> ServerTlsContexts.fromPem(ecCert, otherEcKey));
        assertEquals(otherEcKey, e.file());

        Path rsaCert = pem(rsa, "rsa-cert");
        Path otherRsaKey = keyFile(otherRsa, "other-rsa-key.pem");
        assertError(otherRsaKey, "the private key does not match the certificate (the RSA modulus differs)",
                () -> ServerTlsContexts.fromPem(rsaCert, otherRsaKey));
        assertError(otherRsaKey, "the private key does not match the certificate (it is an RSA key but the "
                + "certificate holds an EC key)", () -> ServerTlsContexts.fromPem(ecCert, otherRsaKey));
        assertThrows(TlsMaterialException.class, () -> CertifiedKey.of(rsa.privateKey(), otherRsa.chain()));
    }

    // ---------------------------------------------------------------- keystores

    @Test
    void keyStoresOfBothTypesWithAndWithoutAlias() throws Exception {
        Path p12 = keyStore("PKCS12", "server.p12", PASSWORD, "server", ec);
        assertEquals(ec.certificate(), CertifiedKey.fromKeyStore(p12, PASSWORD, null).certificate());
        ServerTlsContexts.fromKeyStore(p12, PASSWORD, "server", TlsConfig.DEFAULT);

        Path jks = keyStore("JKS", "server.jks", PASSWORD, "rsa", rsa, "ec", ec);
        CertifiedKey fromJks = CertifiedKey.fromKeyStore(jks, PASSWORD, "rsa");
        assertArrayEquals(rsa.privateKey().getEncoded(), fromJks.privateKey().getEncoded());
        assertEquals(ec.certificate(), CertifiedKey.fromKeyStore(jks, PASSWORD, "ec").certificate());
    }

    @Test
    void keyStoreErrors() throws Exception {
        Path p12 = keyStore("PKCS12", "errors.p12", PASSWORD, "server", ec);
        assertError(p12, "wrong keystore password",
                () -> ServerTlsContexts.fromKeyStore(p12, "nope".toCharArray(), null, TlsConfig.DEFAULT));
        assertError(p12, "no entry \"client\" (entries: [server])",
                () -> ServerTlsContexts.fromKeyStore(p12, PASSWORD, "client", TlsConfig.DEFAULT));
        Path two = keyStore("PKCS12", "two.p12", PASSWORD, "a", ec, "b", rsa);
        assertError(two, "holds several keys", () -> CertifiedKey.fromKeyStore(two, PASSWORD, null));
        assertError(ecCert, "not a PKCS#12 or JKS keystore", () -> CertifiedKey.fromKeyStore(ecCert, PASSWORD, null));
        Path nowhere = dir.resolve("missing.p12");
        assertError(nowhere, "file not found", () -> CertifiedKey.fromKeyStore(nowhere, PASSWORD, null));

        // JKS lets a key have its own password; ours is the store's, so such a key is "wrong password".
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setKeyEntry("server", ec.privateKey(), "different".toCharArray(), ec.chain().toArray(new Certificate[0]));
        Path keyPassword = dir.resolve("key-password.jks");
        try (OutputStream out = Files.newOutputStream(keyPassword)) {
            jks.store(out, PASSWORD);
        }
        assertError(keyPassword, "wrong password for the key of entry \"server\"",
                () -> CertifiedKey.fromKeyStore(keyPassword, PASSWORD, null));
    }

    // ---------------------------------------------------------------- helpers

    /** Runs {@code action}, which must fail with a message starting with the file name and containing {@code text}. */
    private static TlsMaterialException assertError(Path file, String text, ThrowingAction action) {
        TlsMaterialException e = assertThrows(TlsMaterialException.class, action::run);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(text), () -> "expected \"" + text + "\" in: " + e.getMessage());
        return e;
    }

    /** An action that may throw anything. */
    private interface ThrowingAction {
        void run() throws Exception;
    }

    private static Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Path pem(CertifiedKey key, String name) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        key.writePem(cert, dir.resolve(name + "-key.pem"));
        return cert;
    }

    private static Path keyFile(CertifiedKey key, String name) throws Exception {
        Path file = dir.resolve(name);
        PemFiles.writePrivateKey(file, key.privateKey());
        return file;
    }

    /** A keystore of {@code type} with key entries given as alias, key, alias, key... */
    private static Path keyStore(String type, String name, char[] password, Object... entries) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        for (int i = 0; i < entries.length; i += 2) {
            CertifiedKey key = (CertifiedKey) entries[i + 1];
            store.setKeyEntry((String) entries[i], key.privateKey(), password, key.chain().toArray(new Certificate[0]));
        }
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        return file;
    }

    /** {@code key} encrypted the way OpenSSL 3 does by default (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC). */
    private static Path opensslEncrypted(Path key, String name) throws Exception {
        Path out = dir.resolve(name);
        Process openssl = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-in", key.toString(), "-out", out.toString(),
                "-passout", "pass:" + new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(0, openssl.exitValue(), output);
        return out;
    }
}
