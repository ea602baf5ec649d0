package dev.wsnetty.netty.tls;

import dev.wsnetty.internal.Log;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which TLS implementation the contexts of this package use. OpenSSL means BoringSSL from
 * {@code netty-tcnative-boringssl-static}: faster than the JDK's engine and with less garbage, but a native
 * library that loads only on the platforms it was built for.
 *
 * <p>The first time a context is built with a given implementation, one INFO line on the
 * {@code dev.wsnetty.netty.tls} logger says which it is (and, for the JDK after {@link #AUTO}, why OpenSSL is
 * not used).
 */
public enum TlsProvider {
    /** OpenSSL when its native library loads, the JDK otherwise. */
    AUTO,
    /** OpenSSL (BoringSSL); building a context fails with a clear error when the native library does not load. */
    OPENSSL,
    /** The JDK's own TLS engine (SunJSSE), available everywhere. */
    JDK;

    private static final Log LOG = Log.named(TlsProvider.class.getPackageName());
    private static final Set<SslProvider> LOGGED = EnumSet.noneOf(SslProvider.class);

    /** Whether the OpenSSL native library loaded in this process. */
    public static boolean isOpenSslAvailable() {
        return OpenSsl.isAvailable();
    }

    /**
     * The Netty provider this choice stands for in this process, logged once per process and provider.
     *
     * @throws IllegalStateException for {@link #OPENSSL} when the native library did not load (the message gives
     *                               the reason)
     */
    public SslProvider sslProvider() {
        SslProvider provider;
        switch (this) {
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("TLS provider OPENSSL was asked for but netty-tcnative-boringssl-static "
                            + "did not load: " + OpenSsl.unavailabilityCause());
                }
                provider = SslProvider.OPENSSL;
                break;
            case JDK:
                provider = SslProvider.JDK;
                break;
            default:
                provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
                break;
        }
        logOnce(provider);
        return provider;
    }

    private void logOnce(SslProvider provider) {
        synchronized (LOGGED) {
            if (!LOGGED.add(provider)) {
                return;
            }
        }
        if (provider == SslProvider.OPENSSL) {
            LOG.log(Log.Level.INFO, () -> "TLS provider: OpenSSL (" + OpenSsl.versionString() + ")");
        } else if (this == AUTO) {
            LOG.log(Log.Level.INFO, () -> "TLS provider: JDK (OpenSSL did not load: "
                    + OpenSsl.unavailabilityCause() + ")");
        } else {
            LOG.log(Log.Level.INFO, "TLS provider: JDK");
        }
    }
}
