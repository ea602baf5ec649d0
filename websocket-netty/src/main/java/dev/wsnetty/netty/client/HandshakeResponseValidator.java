package dev.wsnetty.netty.client;

import dev.wsnetty.netty.deflate.ClientDeflateOffer;
import dev.wsnetty.netty.deflate.DeflateParameters;
import dev.wsnetty.netty.deflate.ExtensionNegotiationException;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

import java.util.List;
import java.util.Optional;

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
     * @param deflate        what the request offered of permessage-deflate (no other extension is offered)
     */
    static String findProblem(HttpResponse response, String expectedAccept, List<String> offeredSubprotocols,
                              ClientDeflateOffer deflate) {
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
        try {
            deflate.accept(headers.getAll("Sec-WebSocket-Extensions"));
        } catch (ExtensionNegotiationException e) {
            return e.getMessage();
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

    /** The permessage-deflate agreement of a response {@link #findProblem} accepted; empty for none. */
    static Optional<DeflateParameters> agreedDeflate(HttpResponse response, ClientDeflateOffer deflate) {
        return deflate.accept(response.headers().getAll("Sec-WebSocket-Extensions"));
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
