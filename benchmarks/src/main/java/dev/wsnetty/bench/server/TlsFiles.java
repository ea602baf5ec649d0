package dev.wsnetty.bench.server;

import dev.wsnetty.netty.tls.SelfSignedCertificates;

import java.nio.file.Path;

/**
 * Writes a self-signed certificate for localhost and 127.0.0.1 and its key as PEM files, so that both echo
 * servers present the same certificate and the load generator trusts exactly it:
 *
 * <pre>java -cp benchmarks.jar dev.wsnetty.bench.server.TlsFiles cert.pem key.pem</pre>
 */
public final class TlsFiles {
    private TlsFiles() {
    }

    /** {@code args}: the certificate file, the key file. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TlsFiles <certificate.pem> <key.pem>");
            System.exit(2);
        }
        SelfSignedCertificates.localhost().writePem(Path.of(args[0]), Path.of(args[1]));
    }
}
