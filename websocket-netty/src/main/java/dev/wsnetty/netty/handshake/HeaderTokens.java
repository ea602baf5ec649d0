package dev.wsnetty.netty.handshake;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated header lists ({@code Connection}, {@code Upgrade}, {@code Sec-WebSocket-Protocol}),
 * which may also be spread over several header lines.
 */
final class HeaderTokens {
    private HeaderTokens() {
    }

    /** Every non-empty, trimmed element of every {@code name} header, in order. */
    static List<String> all(HttpHeaders headers, CharSequence name) {
        List<String> tokens = new ArrayList<>(2);
        for (String value : headers.getAll(name)) {
            for (String element : value.split(",")) {
                String token = element.trim();
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return List.copyOf(tokens);
    }

    /** Whether some element of the {@code name} headers equals {@code token}, ignoring ASCII case. */
    static boolean contains(HttpHeaders headers, CharSequence name, String token) {
        for (String element : all(headers, name)) {
            if (element.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
