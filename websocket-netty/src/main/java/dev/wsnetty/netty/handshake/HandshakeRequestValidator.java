package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.internal.HttpTokens;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Iterator;
import java.util.List;

/**
 * Checks an opening handshake request against RFC 6455 §4.2.1, strictly (the original accepted any
 * key, any version and a missing Host). The first fault found is reported, in the order of the checks
 * below, so a request that is not WebSocket at all is told so before details of its key.
 */
final class HandshakeRequestValidator {
    // base64 of 16 bytes: 22 characters and "==".
    private static final int KEY_LENGTH = 24;
    private static final int KEY_BASE64_CHARS = 22;

    private HandshakeRequestValidator() {
    }

    /**
     * Whether the request tries to open a WebSocket: it asks to upgrade to {@code websocket} or carries
     * a {@code Sec-WebSocket-Key} or {@code -Version}. Anything else (a plain request, or an upgrade to
     * another protocol such as h2c, which a server may ignore) can go to the HTTP fallback.
     */
    static boolean isWebSocketAttempt(HttpRequest request) {
        HttpHeaders h = request.headers();
        return HttpTokens.contains(h, HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET.toString())
                || h.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)
                || h.contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    }

    /** The reason to refuse {@code request}, or {@code null} if it is a valid version 13 handshake. */
    static HandshakeRefusal check(HttpRequest request) {
        HttpHeaders h = request.headers();
        if (!HttpMethod.GET.equals(request.method())) {
            return HandshakeRefusal.notWebSocket("method must be GET, was " + HandshakeRefusal.echo(request.method().name()));
        }
        HttpVersion version = request.protocolVersion();
        if (!"HTTP".equals(version.protocolName()) || version.majorVersion() < 1
                || version.majorVersion() == 1 && version.minorVersion() < 1) {
            return HandshakeRefusal.notWebSocket("HTTP/1.1 or later required, was " + version.text());
        }
        // Values are looked at through CharSequence iterators: a valid handshake allocates no lists or strings here.
        Iterator<? extends CharSequence> hosts = h.valueCharSequenceIterator(HttpHeaderNames.HOST);
        if (!hosts.hasNext() || isBlank(hosts.next())) {
            return HandshakeRefusal.notWebSocket("missing Host");
        }
        if (hosts.hasNext()) {
            return HandshakeRefusal.notWebSocket("more than one Host header");
        }
        if (!h.contains(HttpHeaderNames.UPGRADE)) {
            return HandshakeRefusal.notWebSocket("missing Upgrade");
        }
        if (!HttpTokens.contains(h, HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET.toString())) {
            return HandshakeRefusal.notWebSocket("Upgrade must be websocket, was "
                    + HandshakeRefusal.echo(String.join(", ", h.getAll(HttpHeaderNames.UPGRADE))));
        }
        if (!h.contains(HttpHeaderNames.CONNECTION)) {
            return HandshakeRefusal.notWebSocket("missing Connection");
        }
        if (!HttpTokens.contains(h, HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE.toString())) {
            return HandshakeRefusal.notWebSocket("Connection must contain upgrade, was "
                    + HandshakeRefusal.echo(String.join(", ", h.getAll(HttpHeaderNames.CONNECTION))));
        }
        // The version comes before the key: a client of another version may not send a key of this form.
        Iterator<? extends CharSequence> versions = h.valueCharSequenceIterator(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        CharSequence version13 = versions.hasNext() ? versions.next() : null;
        if (version13 == null || versions.hasNext() || !HandshakeRefusal.SUPPORTED_VERSION.contentEquals(version13)) {
            List<String> all = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
            return HandshakeRefusal.unsupportedVersion(all.isEmpty() ? null : String.join(", ", all));
        }
        Iterator<? extends CharSequence> keys = h.valueCharSequenceIterator(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (!keys.hasNext()) {
            return HandshakeRefusal.notWebSocket("missing Sec-WebSocket-Key");
        }
        CharSequence key = keys.next();
        if (keys.hasNext()) {
            return HandshakeRefusal.notWebSocket("more than one Sec-WebSocket-Key header");
        }
        if (!isValidKey(key)) {
            return HandshakeRefusal.notWebSocket("Sec-WebSocket-Key must be base64 of 16 bytes, was "
                    + HandshakeRefusal.echo(key.toString()));
        }
        return null;
    }

    /**
     * Whether {@code key} is the base64 of 16 bytes: 22 characters of the base64 alphabet and {@code "=="}. Like the
     * JDK's decoder, the unused low bits of the last character are not checked.
     */
    private static boolean isValidKey(CharSequence key) {
        if (key.length() != KEY_LENGTH || key.charAt(KEY_LENGTH - 2) != '=' || key.charAt(KEY_LENGTH - 1) != '=') {
            return false;
        }
        for (int i = 0; i < KEY_BASE64_CHARS; i++) {
            char c = key.charAt(i);
            boolean base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/';
            if (!base64) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
