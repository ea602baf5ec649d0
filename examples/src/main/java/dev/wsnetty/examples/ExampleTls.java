package dev.wsnetty.examples;

import dev.wsnetty.netty.tls.CertifiedKey;
import dev.wsnetty.netty.tls.ClientTlsContexts;
import dev.wsnetty.netty.tls.SelfSignedCertificates;
import dev.wsnetty.netty.tls.ServerTlsContexts;
import dev.wsnetty.netty.tls.TlsConfig;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TLS contexts of the examples. Servers with {@code --cert}/{@code --key} load them (PEM); with {@code --tls}
 * alone they make a self-signed development certificate for localhost and 127.0.0.1 and write it to a temporary
 * file, so that a chat client can trust it with {@code --trust FILE} (a browser shows a warning first). The client
 * trusts the system's certificates, or those of {@code --trust}.
 */
final class ExampleTls {
    private ExampleTls() {
    }

    /**
     * The server context {@code options} ask for, or null without TLS; prints where a self-signed one went.
     *
     * @throws UncheckedIOException if the certificate or key cannot be loaded (the message names the file)
     */
    static SslContext serverContext(ExampleOptions options, Console console) {
        if (!options.tls()) {
            return null;
        }
        try {
            if (options.cert() != null) {
                return ServerTlsContexts.fromPem(options.cert(), options.key());
            }
            CertifiedKey dev = SelfSignedCertificates.localhost();
            Path dir = Files.createTempDirectory("wsnetty-examples-tls");
            Path cert = dir.resolve("localhost-cert.pem");
            dev.writePem(cert, dir.resolve("localhost-key.pem"));
            console.println("Self-signed certificate for localhost: " + cert
                    + " (chat-client --trust " + cert + "; a browser asks to accept it first)");
            return dev.serverContext();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The client context {@code options} ask for: null for the system's trust (or no TLS). */
    static SslContext clientContext(ExampleOptions options) throws IOException {
        return options.trust() == null ? null : ClientTlsContexts.trustingPem(options.trust(), TlsConfig.DEFAULT);
    }

    /** {@code "https"} or {@code "http"}, for the page address the servers print. */
    static String pageScheme(ExampleOptions options) {
        return options.tls() ? "https" : "http";
    }

    /** {@code "wss"} or {@code "ws"}, for the endpoint address the servers print. */
    static String socketScheme(ExampleOptions options) {
        return options.tls() ? "wss" : "ws";
    }
}
