package dev.wsnetty.netty.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The self-signed certificates our DER encoder makes are what they claim, as read by the JDK's parser and by
 * OpenSSL's (an independent one), which also verifies the signature and host name.
 */
class SelfSignedCertificatesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SelfSignedCertificates.KeyType.class)
    void localhostCertificateHasTheFieldsAndExtensionsAsked(SelfSignedCertificates.KeyType type) throws Exception {
        Instant before = Instant.now();
        CertifiedKey key = SelfSignedCertificates.builder("localhost").keyType(type).build();
        X509Certificate cert = key.certificate();

        assertEquals(3, cert.getVersion());
        assertEquals("CN=localhost", cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(type == SelfSignedCertificates.KeyType.EC_P256 ? "SHA256withECDSA" : "SHA256withRSA",
                cert.getSigAlgName());
        assertEquals(type == SelfSignedCertificates.KeyType.EC_P256 ? "EC" : "RSA", key.privateKey().getAlgorithm());
        cert.verify(cert.getPublicKey()); // signed by its own key
        cert.checkValidity();
        assertTrue(cert.getNotBefore().toInstant().isBefore(before.minus(Duration.ofMinutes(59))));
        // Compared as longs: assertEquals(float, float, delta) rounds 1.8e9 s to 128 s and failed now and then.
        long expiresIn = cert.getNotAfter().toInstant().getEpochSecond() - before.getEpochSecond();
        assertTrue(Math.abs(expiresIn - Duration.ofDays(365).toSeconds()) <= 5, "expires in " + expiresIn + " s");
        assertTrue(cert.getSerialNumber().signum() > 0);
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")),
                altNames(cert));
        assertEquals(-1, cert.getBasicConstraints(), "must not be a CA");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.19"));
    }

    @Test
    void namesAddressesAndLongValidityAreAsGiven() throws Exception {
        X509Certificate cert = SelfSignedCertificates.builder("beta.test").dnsNames("*.beta.test", "beta.test")
                .ipAddresses("10.1.2.3").validity(Duration.ofDays(365 * 40)).build().certificate();
        assertEquals(List.of(List.of(2, "*.beta.test"), List.of(2, "beta.test"), List.of(7, "10.1.2.3")), altNames(cert));
        // Past 2049 the date is a GeneralizedTime (RFC 5280 §4.1.2.5), which the parser must read back exactly.
        assertTrue(cert.getNotAfter().toInstant().atZone(ZoneOffset.UTC).getYear() >= 2060);
        cert.checkValidity();

        X509Certificate ipOnly = SelfSignedCertificates.builder("127.0.0.1").build().certificate();
        assertEquals(List.of(List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")), altNames(ipOnly));
    }

    @Test
    void everyCertificateHasItsOwnKeyAndSerial() {
        CertifiedKey a = SelfSignedCertificates.localhost();
        CertifiedKey b = SelfSignedCertificates.localhost();
        assertNotEquals(a.certificate().getSerialNumber(), b.certificate().getSerialNumber());
        assertNotEquals(a.certificate().getPublicKey(), b.certificate().getPublicKey());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificates.builder(""));
        IllegalArgumentException ip = assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificates.builder("x").ipAddresses("localhost"));
        assertTrue(ip.getMessage().contains("not an IP address literal"), ip.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificates.builder("x").dnsNames("a b"));
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificates.builder("x").validity(Duration.ZERO));
    }

    @ParameterizedTest
    @EnumSource(SelfSignedCertificates.KeyType.class)
    void openSslReadsAndVerifiesTheCertificate(SelfSignedCertificates.KeyType type) throws Exception {
        CertifiedKey key = SelfSignedCertificates.builder("localhost").keyType(type).build();
        Path cert = dir.resolve("cert.pem");
        Path privateKey = dir.resolve("key.pem");
        key.writePem(cert, privateKey);

        String text = openssl("x509", "-in", cert.toString(), "-noout", "-text");
        assertTrue(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), text);
        assertTrue(text.contains("CA:FALSE") && text.contains("TLS Web Server Authentication"), text);
        // Trusted as itself: signature, dates, and the host name and IP checked by OpenSSL's own verifier.
        String verified = openssl("verify", "-CAfile", cert.toString(), "-verify_hostname", "localhost",
                "-verify_ip", "127.0.0.1", cert.toString());
        assertEquals(cert + ": OK", verified.trim());
        // The written key is the certificate's (OpenSSL derives the same public key from it).
        assertEquals(openssl("x509", "-in", cert.toString(), "-noout", "-pubkey"),
                openssl("pkey", "-in", privateKey.toString(), "-pubout"));
    }

    @Test
    void derEncodingsFollowX690() {
        assertArrayEquals(new byte[] {0x06, 0x06, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D},
                Der.oid("1.2.840.113549"));
        assertArrayEquals(new byte[] {0x06, 0x03, 0x55, 0x1D, 0x11}, Der.oid("2.5.29.17"));
        // A positive integer whose top bit is set gets a leading zero byte.
        assertArrayEquals(new byte[] {0x02, 0x02, 0x00, (byte) 0x80}, Der.integer(BigInteger.valueOf(128)));
        assertArrayEquals(new byte[] {0x30, 0x00}, Der.sequence());
        byte[] long200 = Der.octetString(new byte[200]);
        assertArrayEquals(new byte[] {0x04, (byte) 0x81, (byte) 200}, Arrays.copyOf(long200, 3));
        byte[] long300 = Der.octetString(new byte[300]);
        assertArrayEquals(new byte[] {0x04, (byte) 0x82, 0x01, 0x2C}, Arrays.copyOf(long300, 4));
        assertArrayEquals("\u0017\r491231235959Z".getBytes(), Der.time(Instant.parse("2049-12-31T23:59:59Z")));
        assertArrayEquals("\u0018\u000f20500101000000Z".getBytes(), Der.time(Instant.parse("2050-01-01T00:00:00Z")));
    }

    private static List<List<?>> altNames(X509Certificate cert) throws Exception {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        return names == null ? List.of() : new ArrayList<>(names);
    }

    private static String openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
