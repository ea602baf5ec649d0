package dev.wsnetty.netty.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;

/**
 * Checks that a private key belongs to a certificate's public key before a TLS context is built from them, so
 * the mistake is reported by name instead of as a handshake failure on the first connection.
 *
 * <p>RSA: the public half is in the private key, so modulus and exponent are compared. Other algorithms (EC,
 * EdDSA): the key signs a random challenge that the certificate's public key must verify; the JDK has no API to
 * derive an EC public point from its private scalar.
 */
final class KeyPairCheck {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyPairCheck() {
    }

    /**
     * Throws unless {@code key} is the private half of {@code certificateKey}.
     *
     * @param where the file(s) the two came from, for the message; {@code file} is reported as the one at fault
     */
    static void check(PrivateKey key, PublicKey certificateKey, Path file, String where) throws TlsMaterialException {
        String keyType = family(key.getAlgorithm());
        String certType = family(certificateKey.getAlgorithm());
        if (!keyType.equals(certType)) {
            throw mismatch(file, where, "it is an " + keyType + " key but the certificate holds an " + certType + " key");
        }
        if (key instanceof RSAKey && certificateKey instanceof RSAPublicKey) {
            RSAPublicKey pub = (RSAPublicKey) certificateKey;
            boolean same = ((RSAKey) key).getModulus().equals(pub.getModulus())
                    && (!(key instanceof RSAPrivateCrtKey)
                    || ((RSAPrivateCrtKey) key).getPublicExponent().equals(pub.getPublicExponent()));
            if (!same) {
                throw mismatch(file, where, "the RSA modulus differs");
            }
            return;
        }
        if (key instanceof ECKey && certificateKey instanceof ECKey
                && !sameCurve(((ECKey) key).getParams(), ((ECKey) certificateKey).getParams())) {
            throw mismatch(file, where, "the keys are on different curves");
        }
        if (!signsFor(key, certificateKey)) {
            throw mismatch(file, where, "a signature made with the key does not verify with the certificate's key");
        }
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey) throws TlsMaterialException {
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(null, "cannot check that the " + key.getAlgorithm()
                    + " private key matches the certificate: " + e.getMessage(), e);
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        switch (keyAlgorithm) {
            case "EC":
                return "SHA256withECDSA";
            case "DSA":
                return "SHA256withDSA";
            default:
                return keyAlgorithm; // Ed25519, Ed448, EdDSA name their own signature algorithm
        }
    }

    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator())
                && a.getOrder().equals(b.getOrder());
    }

    /** Groups names of one key type (Ed25519 keys may call themselves EdDSA). */
    private static String family(String algorithm) {
        return algorithm.startsWith("Ed") ? "EdDSA" : algorithm;
    }

    private static TlsMaterialException mismatch(Path file, String where, String detail) {
        return new TlsMaterialException(file, where + ": the private key does not match the certificate (" + detail
                + ")", null);
    }
}
