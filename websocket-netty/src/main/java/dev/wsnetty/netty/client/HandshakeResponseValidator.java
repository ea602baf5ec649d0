package dev.wsnetty.netty.client;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

import java.util.List;

/**
 * Checks a handshake response against RFC 6455 §4.1 (client side), case-insensitively where the RFC
 * says so: the original client wanted exactly {@code Upgrade: websocket} and a lone {@code Connection:
 * upgrade}, and so refused valid servers (LazWebsockets issue #33).
 */
final class HandshakeResponseValidator {
    private HandshakeResponseValidator() {
    }

    /**
     * Why {@code response} is not a valid upgrade answer to a request with the given key and offered
     * subprotocols, or null when it is valid.
     *
     * @param expectedAccept the {@code Sec-WebSocket-Accept} value the key calls for
     */
    static String findProblem(HttpResponse response, String expectedAccept, List<String> offeredSubprotocols) {
        if (response.status().code() != 101) {
            return "server answered " + response.status().code() + " " + response.status().reasonPhrase()
                    + " instead of 101 Switching Protocols";
        }
        HttpHeaders headers = response.headers();
        String upgrade = headers.get("Upgrade");
        if (upgrade == null) {
            return "101 response has no Upgrade header";
        }
        if (!upgrade.trim().equalsIgnoreCase("websocket")) {
            return "101 response has 'Upgrade: " + upgrade + "', expected 'websocket'";
        }
        List<String> connection = headers.getAll("Connection");
        if (connection.isEmpty()) {
            return "101 response has no Connection header";
        }
        if (!hasToken(connection, "upgrade")) {
            return "101 response has 'Connection: " + String.join(", ", connection) + "' without the 'upgrade' token";
        }
        List<String> accepts = headers.getAll("Sec-WebSocket-Accept");
        if (accepts.isEmpty()) {
            return "101 response has no Sec-WebSocket-Accept header";
        }
        if (accepts.size() > 1) {
            return "101 response has " + accepts.size() + " Sec-WebSocket-Accept headers, expected one";
        }
        if (!accepts.get(0).trim().equals(expectedAccept)) {
            return "101 response has 'Sec-WebSocket-Accept: " + accepts.get(0) + "', which does not match the key"
                    + " sent (expected '" + expectedAccept + "')";
        }
        for (String extensions : headers.getAll("Sec-WebSocket-Extensions")) {
            if (!extensions.isBlank()) {
                return "server selected extension '" + extensions.trim() + "', which was not offered";
            }
        }
        List<String> protocols = headers.getAll("Sec-WebSocket-Protocol");
        if (protocols.size() > 1) {
            return "101 response has " + protocols.size() + " Sec-WebSocket-Protocol headers, expected at most one";
        }
        if (protocols.size() == 1 && !offeredSubprotocols.contains(protocols.get(0).trim())) {
            return "server selected subprotocol '" + protocols.get(0).trim() + "', which was not offered"
                    + (offeredSubprotocols.isEmpty() ? " (none was)" : " (offered: " + offeredSubprotocols + ")");
        }
        return null;
    }

    /** The selected subprotocol of a response {@link #findProblem} accepted, or null for none. */
    static String selectedSubprotocol(HttpResponse response) {
        String protocol = response.headers().get("Sec-WebSocket-Protocol");
        return protocol == null ? null : protocol.trim();
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
