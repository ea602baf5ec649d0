package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.internal.AcceptKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes the handshake's HTTP responses as bytes. They are written raw, not through Netty's
 * {@code HttpResponseEncoder}, because the HTTP codec has already left the pipeline when they are sent
 * (so that nothing after the request is parsed as HTTP), and so that the header order is exactly ours.
 */
final class HandshakeResponses {
    private static final byte[] CRLF = {'\r', '\n'};
    // The fixed parts of every 101, as bytes once.
    private static final byte[] STATUS_101 = "HTTP/1.1 101 Switching Protocols\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UPGRADE_TO_ACCEPT = ("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
            .getBytes(StandardCharsets.US_ASCII);
    // Set by the handshake itself; an endpoint's values for these are dropped rather than sent twice.
    private static final List<AsciiString> HANDSHAKE_HEADERS = List.of(HttpHeaderNames.UPGRADE,
            HttpHeaderNames.CONNECTION, HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL,
            HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);

    private HandshakeResponses() {
    }

    /**
     * {@code 101 Switching Protocols}: the endpoint's headers first, as the original sends them, then
     * {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Accept} and, if one was selected,
     * {@code Sec-WebSocket-Protocol}, then {@code Sec-WebSocket-Extensions} if an extension was accepted (the
     * negotiator's answer; an endpoint's own value for it is dropped like the other handshake headers).
     *
     * @param extensions the accepted extension's answer, or null when none was accepted
     */
    static ByteBuf switchingProtocols(ByteBufAllocator alloc, HttpHeaders endpointHeaders, String key,
                                      String subprotocol, String extensions) {
        ByteBuf out = alloc.buffer(160 + 32 * endpointHeaders.size());
        out.writeBytes(STATUS_101);
        if (!endpointHeaders.isEmpty()) {
            for (Map.Entry<String, String> header : endpointHeaders) {
                if (!isHandshakeHeader(header.getKey())) {
                    header(out, header.getKey(), header.getValue());
                }
            }
        }
        out.writeBytes(UPGRADE_TO_ACCEPT);
        AcceptKey.writeTo(out, key);
        out.writeBytes(CRLF);
        if (subprotocol != null) {
            header(out, "Sec-WebSocket-Protocol", subprotocol);
        }
        if (extensions != null) {
            header(out, "Sec-WebSocket-Extensions", extensions);
        }
        out.writeBytes(CRLF);
        return out;
    }

    /**
     * A refusal: status line, {@code Content-Type}, {@code Content-Length}, {@code Connection: close},
     * {@code Sec-WebSocket-Version} for 426, {@code Retry-After} when the refusal has one, then the reason as a
     * UTF-8 text body.
     */
    static ByteBuf refusal(ByteBufAllocator alloc, HandshakeRefusal refusal) {
        byte[] body = refusal.reason().getBytes(StandardCharsets.UTF_8);
        ByteBuf out = alloc.buffer(160 + body.length);
        line(out, "HTTP/1.1 " + refusal.status().code() + ' ' + refusal.status().reasonPhrase());
        header(out, "Content-Type", "text/plain; charset=utf-8");
        header(out, "Content-Length", Integer.toString(body.length));
        header(out, "Connection", "close");
        if (refusal.offersVersion()) {
            header(out, "Sec-WebSocket-Version", HandshakeRefusal.SUPPORTED_VERSION);
        }
        if (refusal.retryAfter() != null) {
            // RFC 9110 §10.2.3: delay-seconds; rounded up so that a retry is never early.
            long seconds = (refusal.retryAfter().toMillis() + 999) / 1000;
            header(out, "Retry-After", Long.toString(seconds));
        }
        out.writeBytes(CRLF);
        out.writeBytes(body);
        return out;
    }

    private static boolean isHandshakeHeader(String name) {
        for (AsciiString own : HANDSHAKE_HEADERS) {
            if (own.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static void header(ByteBuf out, String name, String value) {
        out.writeCharSequence(name, StandardCharsets.ISO_8859_1);
        out.writeByte(':').writeByte(' ');
        line(out, value);
    }

    // ISO-8859-1 like Netty's own encoder: header text is bytes, and endpoint headers were validated on add.
    private static void line(ByteBuf out, String text) {
        out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        out.writeBytes(CRLF);
    }
}
