package dev.wsnetty.netty.tls;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes PEM files (RFC 7468): X.509 certificate chains ({@code CERTIFICATE} blocks) and PKCS#8 private
 * keys ({@code PRIVATE KEY}, or {@code ENCRYPTED PRIVATE KEY} with a password, as
 * {@code openssl pkcs8 -topk8} and {@code openssl genpkey} write them). Every failure is a
 * {@link TlsMaterialException} naming the file and the problem.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";
    /** Key algorithms tried, in order, on a PKCS#8 key (whose algorithm the DER names; trying is simpler). */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA"};

    private PemFiles() {
    }

    /**
     * The certificates of a PEM file, in file order: the server's own certificate first, then the intermediates.
     *
     * @throws TlsMaterialException if the file is missing or unreadable, has no {@code CERTIFICATE} block, or a
     *                              block is not valid Base64 or not an X.509 certificate
     */
    static List<X509Certificate> readCertificates(Path file) throws TlsMaterialException {
        List<byte[]> blocks = blocks(file, read(file), CERTIFICATE);
        if (blocks.isEmpty()) {
            throw new TlsMaterialException(file, file + ": no PEM certificate found (expected a \"-----BEGIN "
                    + CERTIFICATE + "-----\" block)", null);
        }
        List<X509Certificate> chain = new ArrayList<>(blocks.size());
        CertificateFactory factory = x509Factory();
        for (int i = 0; i < blocks.size(); i++) {
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(blocks.get(i))));
            } catch (CertificateException e) {
                throw new TlsMaterialException(file, file + ": certificate " + (i + 1) + " is not a valid X.509 "
                        + "certificate: " + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableList(chain);
    }

    /**
     * The private key of a PEM file holding one PKCS#8 key, encrypted or not.
     *
     * @param password the password of an {@code ENCRYPTED PRIVATE KEY}; null (or empty) for a plain one
     * @throws TlsMaterialException if the file is missing or unreadable, holds no PKCS#8 key (a PKCS#1
     *                              {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY} is named with the
     *                              command that converts it), is encrypted and no password or the wrong one was
     *                              given, or is malformed
     */
    static PrivateKey readPrivateKey(Path file, char[] password) throws TlsMaterialException {
        String text = read(file);
        List<byte[]> plain = blocks(file, text, PRIVATE_KEY);
        List<byte[]> encrypted = blocks(file, text, ENCRYPTED_PRIVATE_KEY);
        if (plain.size() + encrypted.size() > 1) {
            throw new TlsMaterialException(file, file + ": holds " + (plain.size() + encrypted.size())
                    + " private keys; expected one", null);
        }
        if (plain.size() == 1) {
            return privateKey(file, plain.get(0));
        }
        if (encrypted.size() == 1) {
            if (password == null || password.length == 0) {
                throw new TlsMaterialException(file, file + ": the private key is encrypted; give its password", null);
            }
            return privateKey(file, decrypt(file, encrypted.get(0), password));
        }
        Matcher legacy = BLOCK.matcher(text);
        while (legacy.find()) {
            String type = legacy.group(1);
            if (type.equals("RSA PRIVATE KEY") || type.equals("EC PRIVATE KEY")) {
                throw new TlsMaterialException(file, file + ": holds a \"" + type + "\" (PKCS#1/SEC1 format); only "
                        + "PKCS#8 keys are read. Convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file
                        + " -out key-pkcs8.pem", null);
            }
        }
        throw new TlsMaterialException(file, file + ": no PEM private key found (expected a \"-----BEGIN "
                + PRIVATE_KEY + "-----\" or \"-----BEGIN " + ENCRYPTED_PRIVATE_KEY + "-----\" block)", null);
    }

    /** Writes certificates as {@code CERTIFICATE} blocks, in order. */
    static void writeCertificates(Path file, List<X509Certificate> chain) throws IOException {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                text.append(pem(CERTIFICATE, certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new IOException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
            }
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /** Writes an unencrypted PKCS#8 {@code PRIVATE KEY} block; keep the file private to its owner. */
    static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        Files.writeString(file, pem(PRIVATE_KEY, key.getEncoded()), StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static String read(Path file) throws TlsMaterialException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(file, file + ": file not found", e);
        } catch (AccessDeniedException e) {
            throw new TlsMaterialException(file, file + ": permission denied", e);
        } catch (IOException e) {
            throw new TlsMaterialException(file, file + ": cannot be read: " + e, e);
        }
    }

    /** The decoded bodies of every block of {@code type}. */
    private static List<byte[]> blocks(Path file, String text, String type) throws TlsMaterialException {
        List<byte[]> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    found.add(Base64.getMimeDecoder().decode(m.group(2).trim()));
                } catch (IllegalArgumentException e) {
                    throw new TlsMaterialException(file, file + ": malformed PEM block \"" + type + "\": "
                            + e.getMessage(), e);
                }
            }
        }
        return found;
    }

    private static PrivateKey privateKey(Path file, byte[] pkcs8) throws TlsMaterialException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm (or not this JDK's): try the next.
            }
        }
        throw new TlsMaterialException(file, file + ": the private key is malformed or of an unsupported algorithm "
                + "(RSA, EC, EdDSA, RSASSA-PSS and DSA are read)", null);
    }

    private static byte[] decrypt(Path file, byte[] der, char[] password) throws TlsMaterialException {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new TlsMaterialException(file, file + ": malformed encrypted private key: " + e.getMessage(), e);
        }
        // For PBES2 (what OpenSSL writes) the algorithm name is "PBES2" and the real one (e.g.
        // PBEWithHmacSHA256AndAES_256) is what the parameters call themselves.
        String algorithm = info.getAlgParameters() != null && "PBES2".equalsIgnoreCase(info.getAlgName())
                ? info.getAlgParameters().toString() : info.getAlgName();
        Cipher cipher;
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(file, file + ": the private key is encrypted with " + algorithm
                    + ", which this JDK cannot decrypt: " + e.getMessage(), e);
        }
        try {
            return info.getKeySpec(cipher).getEncoded();
        } catch (InvalidKeySpecException e) {
            // A wrong password gives a padding error, or (rarely) garbage that is not a PKCS#8 structure.
            throw new TlsMaterialException(file, file + ": wrong password for the encrypted private key", e);
        }
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }
}
