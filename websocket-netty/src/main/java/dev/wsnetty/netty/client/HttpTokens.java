package dev.wsnetty.netty.client;

/** The HTTP "token" syntax of RFC 9110 §5.6.2, which header names and subprotocols must follow. */
final class HttpTokens {
    private static final String SEPARATORS_ALLOWED = "!#$%&'*+-.^_`|~";

    private HttpTokens() {
    }

    /** Whether {@code s} is a non-empty token: letters, digits and {@code !#$%&'*+-.^_`|~}. */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && SEPARATORS_ALLOWED.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
