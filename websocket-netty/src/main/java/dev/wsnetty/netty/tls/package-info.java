/**
 * TLS for wss: contexts for servers ({@link dev.wsnetty.netty.tls.ServerTlsContexts}: PEM files, keystores) and
 * clients ({@link dev.wsnetty.netty.tls.ClientTlsContexts}), the provider choice
 * ({@link dev.wsnetty.netty.tls.TlsProvider}: OpenSSL when it loads, else the JDK), per-host-name certificates
 * (SNI) and the server's TLS pipeline ({@link dev.wsnetty.netty.tls.TlsServerConfig}), and self-signed
 * certificates for development ({@link dev.wsnetty.netty.tls.SelfSignedCertificates}).
 *
 * <p>Loading errors are {@link dev.wsnetty.netty.tls.TlsMaterialException}s naming the file and the problem.
 * Handshake failures are logged by the server in one line per connection and reported to clients as exceptions
 * that say what went wrong ({@link dev.wsnetty.netty.internal.tls.TlsFailures}).
 */
package dev.wsnetty.netty.tls;
