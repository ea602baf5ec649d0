package dev.wsnetty.netty.tls;

import io.netty.util.NetUtil;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Makes self-signed X.509 v3 certificates for development and tests: a fresh key pair (EC P-256 or RSA 2048),
 * subject and issuer {@code CN=<name>}, subjectAltName DNS names and IP addresses (127.0.0.1 and ::1 unless told
 * otherwise), extended key usage serverAuth, valid from an hour ago (clock skew) for a year by default.
 *
 * <p>Why not Netty's {@code SelfSignedCertificate}: it needs BouncyCastle or the JDK's internal
 * {@code sun.security.x509} classes (closed off by the module system). The certificate is instead encoded here
 * directly in DER (a few dozen bytes of structure, RFC 5280 §4.1), signed with {@link Signature} and parsed back
 * with the JDK's {@link CertificateFactory}, so no dependency is added.
 *
 * <pre>{@code
 * CertifiedKey dev = SelfSignedCertificates.localhost();
 * WebSocketServer server = new WebSocketServer(null, 8443, dev.serverContext());
 * Communicator c = WebSocketClient.of("wss://localhost:8443/").connect(dev.trustingClientContext());
 * }</pre>
 */
public final class SelfSignedCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String EXT_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final int DNS_NAME_TAG = 2;
    private static final int IP_ADDRESS_TAG = 7;

    /** The key pair type of a generated certificate. */
    public enum KeyType {
        /** ECDSA on NIST P-256 (secp256r1), signed with SHA256withECDSA: small and fast. */
        EC_P256("EC", "SHA256withECDSA", "1.2.840.10045.4.3.2", false),
        /** RSA 2048, signed with SHA256withRSA: for peers without ECDSA. */
        RSA_2048("RSA", "SHA256withRSA", "1.2.840.113549.1.1.11", true);

        private final String keyAlgorithm;
        private final String signatureAlgorithm;
        private final String signatureOid;
        /** RFC 4055 gives RSA signature identifiers an explicit NULL parameter; RFC 5758 gives ECDSA none. */
        private final boolean nullParameters;

        KeyType(String keyAlgorithm, String signatureAlgorithm, String signatureOid, boolean nullParameters) {
            this.keyAlgorithm = keyAlgorithm;
            this.signatureAlgorithm = signatureAlgorithm;
            this.signatureOid = signatureOid;
            this.nullParameters = nullParameters;
        }

        private KeyPair generate() throws GeneralSecurityException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            if (this == EC_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            } else {
                generator.initialize(2048, RANDOM);
            }
            return generator.generateKeyPair();
        }

        private byte[] algorithmIdentifier() {
            return nullParameters ? Der.sequence(Der.oid(signatureOid), Der.nullValue())
                    : Der.sequence(Der.oid(signatureOid));
        }
    }

    private SelfSignedCertificates() {
    }

    /** A new EC certificate for {@code localhost}, 127.0.0.1 and ::1, valid for a year. */
    public static CertifiedKey localhost() {
        return builder("localhost").build();
    }

    /**
     * A builder for a certificate whose subject is {@code CN=commonName}. Unless told otherwise, the DNS names
     * are {@code commonName} alone (when it is not an IP address), the IP addresses 127.0.0.1 and ::1.
     */
    public static Builder builder(String commonName) {
        return new Builder(commonName);
    }

    /** Sets up and makes one self-signed certificate. */
    public static final class Builder {
        private final String commonName;
        private List<String> dnsNames;
        private List<byte[]> ipAddresses = List.of(NetUtil.LOCALHOST4.getAddress(), NetUtil.LOCALHOST6.getAddress());
        private KeyType keyType = KeyType.EC_P256;
        private Duration validity = Duration.ofDays(365);

        private Builder(String commonName) {
            Objects.requireNonNull(commonName, "commonName");
            if (commonName.isEmpty()) {
                throw new IllegalArgumentException("the common name cannot be empty");
            }
            this.commonName = commonName;
            this.dnsNames = NetUtil.isValidIpV4Address(commonName) || NetUtil.isValidIpV6Address(commonName)
                    ? List.of() : List.of(commonName);
        }

        /** The subjectAltName DNS names (wildcards such as {@code *.example.test} allowed); replaces the default. */
        public Builder dnsNames(String... names) {
            List<String> checked = new ArrayList<>();
            for (String name : names) {
                if (name == null || name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                    throw new IllegalArgumentException("not a DNS name: \"" + name + "\"");
                }
                checked.add(name);
            }
            this.dnsNames = List.copyOf(checked);
            return this;
        }

        /**
         * The subjectAltName IP addresses, as literals (e.g. {@code 127.0.0.1}, {@code ::1}); replaces the default.
         *
         * @throws IllegalArgumentException if one is not an IP address literal
         */
        public Builder ipAddresses(String... addresses) {
            List<byte[]> checked = new ArrayList<>();
            for (String address : addresses) {
                byte[] bytes = address == null ? null : NetUtil.createByteArrayFromIpAddressString(address);
                if (bytes == null) {
                    throw new IllegalArgumentException("not an IP address literal: \"" + address + "\"");
                }
                checked.add(bytes);
            }
            this.ipAddresses = List.copyOf(checked);
            return this;
        }

        /** The key pair type (default {@link KeyType#EC_P256}). */
        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        /** How long the certificate is valid from now (default 365 days). */
        public Builder validity(Duration validity) {
            if (validity.isNegative() || validity.isZero()) {
                throw new IllegalArgumentException("validity must be positive, was " + validity);
            }
            this.validity = validity;
            return this;
        }

        /**
         * Makes the key pair and the certificate.
         *
         * @throws IllegalStateException if this JDK lacks the key or signature algorithm (it never should)
         */
        public CertifiedKey build() {
            try {
                KeyPair keys = keyType.generate();
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
                byte[] tbs = Der.sequence(
                        Der.explicit(0, Der.integer(BigInteger.valueOf(2))), // v3
                        Der.integer(new BigInteger(127, RANDOM).setBit(126)), // positive, 16 bytes, RFC 5280 §4.1.2.2
                        keyType.algorithmIdentifier(),
                        name,
                        Der.sequence(Der.time(now.minus(Duration.ofHours(1))), Der.time(now.plus(validity))),
                        name,
                        keys.getPublic().getEncoded(), // already a DER SubjectPublicKeyInfo
                        Der.explicit(3, Der.sequence(subjectAltName(), basicConstraints(), extendedKeyUsage())));
                Signature signer = Signature.getInstance(keyType.signatureAlgorithm);
                signer.initSign(keys.getPrivate());
                signer.update(tbs);
                byte[] der = Der.sequence(tbs, keyType.algorithmIdentifier(), Der.bitString(signer.sign()));
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
                certificate.verify(keys.getPublic());
                return CertifiedKey.checked(keys.getPrivate(), List.of(certificate));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a self-signed " + keyType + " certificate: " + e, e);
            }
        }

        private byte[] subjectAltName() {
            List<byte[]> names = new ArrayList<>();
            for (String dns : dnsNames) {
                names.add(Der.implicitPrimitive(DNS_NAME_TAG, dns.getBytes(StandardCharsets.US_ASCII)));
            }
            for (byte[] ip : ipAddresses) {
                names.add(Der.implicitPrimitive(IP_ADDRESS_TAG, ip));
            }
            return extension(SUBJECT_ALT_NAME, false, Der.sequence(names.toArray(new byte[0][])));
        }

        /** Not a CA: the certificate is trusted as itself, never as an issuer of others. */
        private static byte[] basicConstraints() {
            return extension(BASIC_CONSTRAINTS, true, Der.sequence());
        }

        private static byte[] extendedKeyUsage() {
            return extension(EXT_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH)));
        }

        private static byte[] extension(String oid, boolean critical, byte[] value) {
            return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                    : Der.sequence(Der.oid(oid), Der.octetString(value)); // FALSE is the default, so left out
        }
    }
}
