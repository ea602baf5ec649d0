package dev.wsnetty.netty.internal.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/**
 * Turns the exceptions a failed TLS handshake ends with into a sentence people can act on: TLS engines wrap the
 * real reason (an untrusted certificate, a host name mismatch, a peer that does not speak TLS) in layers of
 * {@code SSLHandshakeException}s, and the two providers word it differently.
 */
public final class TlsFailures {
    private TlsFailures() {
    }

    /** Whether {@code failure} is a TLS handshake that did not finish in time. */
    public static boolean isTimeout(Throwable failure) {
        return find(failure, SslHandshakeTimeoutException.class) != null;
    }

    /**
     * What went wrong, as seen by a client: the kind of failure when it is recognised, then the innermost
     * message, e.g. {@code "the server's certificate is not trusted (PKIX path building failed: ...)"}.
     */
    public static String describeForClient(Throwable failure) {
        String detail = rootMessage(failure);
        if (find(failure, NotSslRecordException.class) != null) {
            return "the server did not answer with TLS (is it a plain ws:// server?)";
        }
        if (find(failure, CertificateExpiredException.class) != null) {
            return "the server's certificate has expired (" + detail + ")";
        }
        if (find(failure, CertificateNotYetValidException.class) != null) {
            return "the server's certificate is not valid yet (" + detail + ")";
        }
        if (find(failure, CertPathBuilderException.class) != null || find(failure, CertPathValidatorException.class) != null) {
            return "the server's certificate is not trusted (" + detail + ")";
        }
        CertificateException certificate = find(failure, CertificateException.class);
        if (certificate != null && certificate.getMessage() != null
                && (certificate.getMessage().startsWith("No subject alternative")
                || certificate.getMessage().startsWith("No name matching"))) {
            // The JDK's HostnameChecker words a mismatch so; it has no exception type of its own.
            return "the server's certificate does not match the host name (" + detail + ")";
        }
        return detail;
    }

    /**
     * What went wrong, as seen by a server: when the client ended the handshake with an alert (typically because
     * it does not trust the certificate or it names another host) that is said first, since both providers
     * report it only as the alert's name.
     */
    public static String describeForServer(Throwable failure) {
        String detail = rootMessage(failure);
        // JDK: "Received fatal alert: certificate_unknown"; BoringSSL: "...:SSLV3_ALERT_CERTIFICATE_UNKNOWN".
        if (detail.contains("Received fatal alert") || detail.contains("_ALERT_")) {
            return "the client aborted it with an alert, e.g. because it does not accept the certificate (" + detail
                    + ")";
        }
        return detail;
    }

    /**
     * The message of {@code failure}, followed by that of its innermost cause when that says more: the
     * outermost says "handshake failed", the innermost says why.
     */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        if (root == failure || root.getMessage() == null || outer.contains(root.getMessage())) {
            return outer;
        }
        return outer + " (" + root.getMessage() + ")";
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
