package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.internal.HttpTokens;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Base64;
import java.util.List;

/**
 * Checks an opening handshake request against RFC 6455 §4.2.1, strictly (the original accepted any
 * key, any version and a missing Host). The first fault found is reported, in the order of the checks
 * below, so a request that is not WebSocket at all is told so before details of its key.
 */
final class HandshakeRequestValidator {
    private static final int KEY_BYTES = 16;
    // base64 of 16 bytes: 22 characters and "==".
    private static final int KEY_LENGTH = 24;

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
        List<String> hosts = h.getAll(HttpHeaderNames.HOST);
        if (hosts.isEmpty() || hosts.get(0).isBlank()) {
            return HandshakeRefusal.notWebSocket("missing Host");
        }
        if (hosts.size() > 1) {
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
        List<String> versions = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (versions.size() != 1 || !HandshakeRefusal.SUPPORTED_VERSION.equals(versions.get(0))) {
            return HandshakeRefusal.unsupportedVersion(versions.isEmpty() ? null : String.join(", ", versions));
        }
        List<String> keys = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (keys.isEmpty()) {
            return HandshakeRefusal.notWebSocket("missing Sec-WebSocket-Key");
        }
        if (keys.size() > 1) {
            return HandshakeRefusal.notWebSocket("more than one Sec-WebSocket-Key header");
        }
        if (!isValidKey(keys.get(0))) {
            return HandshakeRefusal.notWebSocket("Sec-WebSocket-Key must be base64 of 16 bytes, was "
                    + HandshakeRefusal.echo(keys.get(0)));
        }
        return null;
    }

    private static boolean isValidKey(String key) {
        if (key.length() != KEY_LENGTH) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
