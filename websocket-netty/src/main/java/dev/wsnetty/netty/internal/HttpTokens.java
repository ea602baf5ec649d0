package dev.wsnetty.netty.internal;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * HTTP tokens (RFC 9110 §5.6.2), which header names and subprotocols must be, and the comma-separated token lists
 * of headers such as {@code Connection}, {@code Upgrade} and {@code Sec-WebSocket-Protocol}, which may also be
 * spread over several header lines.
 */
public final class HttpTokens {
    private static final String SEPARATORS_ALLOWED = "!#$%&'*+-.^_`|~";

    private HttpTokens() {
    }

    /** Whether {@code s} is a non-empty token: letters, digits and {@code !#$%&'*+-.^_`|~}. */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code c} may appear in a token: a letter, a digit or one of {@code !#$%&'*+-.^_`|~}. */
    public static boolean isTokenChar(char c) {
        boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        return alnum || SEPARATORS_ALLOWED.indexOf(c) >= 0;
    }

    /** Every non-empty, trimmed element of every {@code name} header, in order. */
    public static List<String> all(HttpHeaders headers, CharSequence name) {
        if (!headers.contains(name)) {
            return List.of();
        }
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

    /**
     * Whether some element of the {@code name} headers equals {@code token}, ignoring ASCII case. Scans the values in
     * place: every handshake asks this of {@code Upgrade} and {@code Connection}, so it allocates nothing.
     */
    public static boolean contains(HttpHeaders headers, CharSequence name, String token) {
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(name);
        while (values.hasNext()) {
            if (listContains(values.next(), token)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the comma-separated list {@code value} has an element equal to {@code token}, ignoring case and spaces. */
    private static boolean listContains(CharSequence value, String token) {
        int n = value.length();
        int start = 0;
        while (start <= n) {
            int end = start;
            while (end < n && value.charAt(end) != ',') {
                end++;
            }
            int from = start;
            int to = end;
            while (from < to && isOptionalWhitespace(value.charAt(from))) {
                from++;
            }
            while (to > from && isOptionalWhitespace(value.charAt(to - 1))) {
                to--;
            }
            if (to - from == token.length() && AsciiString.regionMatches(value, true, from, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    // String.trim() drops every character up to U+0020; the same here, so contains agrees with all.
    private static boolean isOptionalWhitespace(char c) {
        return c <= ' ';
    }
}
