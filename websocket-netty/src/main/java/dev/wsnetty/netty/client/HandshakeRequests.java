package dev.wsnetty.netty.client;

import dev.wsnetty.netty.deflate.ClientDeflateOffer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Builds the client's opening handshake request (RFC 6455 §4.1), an HTTP upgrade request, from a
 * {@link ClientHandshakeRequest}; the server side's counterpart is {@code HandshakeResponses}.
 */
final class HandshakeRequests {
    // The key must be unpredictable (RFC 6455 §4.1 item 7); SecureRandom is thread-safe.
    private static final SecureRandom RANDOM = new SecureRandom();

    private HandshakeRequests() {
    }

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes, base64-encoded. */
    static String newKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * The request, headers in this order: Host (unless a custom one is given), Upgrade, Connection,
     * Sec-WebSocket-Key, Sec-WebSocket-Version, Sec-WebSocket-Protocol (if offered), Sec-WebSocket-Extensions
     * (if compression is on), Origin (if set), then the custom headers as given. Names are spelled as here since
     * they go out as written.
     */
    static FullHttpRequest create(ClientHandshakeRequest request, String key, ClientDeflateOffer deflate) {
        // Validation happened in the request builder; names and values are already known to be clean.
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        if (!request.hasHeader("Host")) {
            headers.add("Host", request.hostHeader());
        }
        headers.add("Upgrade", "websocket");
        headers.add("Connection", "Upgrade");
        headers.add("Sec-WebSocket-Key", key);
        headers.add("Sec-WebSocket-Version", "13");
        if (!request.subprotocols().isEmpty()) {
            headers.add("Sec-WebSocket-Protocol", String.join(", ", request.subprotocols()));
        }
        deflate.header().ifPresent(offer -> headers.add("Sec-WebSocket-Extensions", offer));
        request.origin().ifPresent(origin -> headers.add("Origin", origin));
        for (Map.Entry<String, String> h : request.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.path(), Unpooled.EMPTY_BUFFER,
                headers, DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders());
    }
}
