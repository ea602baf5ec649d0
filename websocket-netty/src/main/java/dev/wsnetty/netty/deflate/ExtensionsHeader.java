package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.internal.HttpTokens;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code Sec-WebSocket-Extensions} headers (RFC 6455 §9.1):
 * <pre>
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 * A quoted value must be a token once unescaped. Spaces and tabs may surround the separators, empty list elements
 * are skipped (RFC 9110 §5.6.1), and several header lines make one list, in order.
 */
final class ExtensionsHeader {
    private final String value;
    private int position;

    private ExtensionsHeader(String value) {
        this.value = value;
    }

    /**
     * The extensions of every header line, in order.
     *
     * @throws MalformedExtensionsException if a line breaks the grammar; the message names the line and the column
     */
    static List<Extension> parse(List<String> headerValues) throws MalformedExtensionsException {
        List<Extension> extensions = new ArrayList<>(2);
        for (String headerValue : headerValues) {
            new ExtensionsHeader(headerValue).readList(extensions);
        }
        return extensions;
    }

    private void readList(List<Extension> out) throws MalformedExtensionsException {
        while (true) {
            skipWhitespace();
            if (atEnd()) {
                return;
            }
            if (peek() != ',') {
                out.add(readExtension());
                skipWhitespace();
                if (atEnd()) {
                    return;
                }
                expect(',', "',' or ';'");
            } else {
                position++; // an empty element
            }
        }
    }

    private Extension readExtension() throws MalformedExtensionsException {
        String name = readToken("an extension name");
        List<Extension.Parameter> parameters = new ArrayList<>(4);
        skipWhitespace();
        while (!atEnd() && peek() == ';') {
            position++;
            skipWhitespace();
            String parameter = readToken("a parameter name");
            skipWhitespace();
            String parameterValue = null;
            if (!atEnd() && peek() == '=') {
                position++;
                skipWhitespace();
                parameterValue = !atEnd() && peek() == '"' ? readQuotedToken() : readToken("a parameter value");
                skipWhitespace();
            }
            parameters.add(new Extension.Parameter(parameter, parameterValue));
        }
        return new Extension(name, List.copyOf(parameters));
    }

    private String readToken(String what) throws MalformedExtensionsException {
        int start = position;
        while (!atEnd() && HttpTokens.isTokenChar(peek())) {
            position++;
        }
        if (start == position) {
            throw expected(what);
        }
        return value.substring(start, position);
    }

    private String readQuotedToken() throws MalformedExtensionsException {
        int start = position;
        position++; // the opening quote
        StringBuilder unescaped = new StringBuilder();
        while (true) {
            if (atEnd()) {
                position = start;
                throw malformed("the quoted string is not closed");
            }
            char c = value.charAt(position++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (atEnd()) {
                    position = start;
                    throw malformed("the quoted string is not closed");
                }
                c = value.charAt(position++);
            }
            unescaped.append(c);
        }
        String token = unescaped.toString();
        if (!HttpTokens.isToken(token)) {
            position = start;
            throw malformed("the quoted value \"" + token + "\" is not a token, as RFC 6455 §9.1 requires");
        }
        return token;
    }

    private void expect(char c, String what) throws MalformedExtensionsException {
        if (peek() != c) {
            throw expected(what);
        }
        position++;
    }

    private void skipWhitespace() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            position++;
        }
    }

    private boolean atEnd() {
        return position >= value.length();
    }

    private char peek() {
        return value.charAt(position);
    }

    private MalformedExtensionsException expected(String what) {
        return malformed("expected " + what + ", found " + (atEnd() ? "the end" : "'" + peek() + "'"));
    }

    private MalformedExtensionsException malformed(String problem) {
        return new MalformedExtensionsException("Sec-WebSocket-Extensions '" + value + "' is malformed at column "
                + (position + 1) + ": " + problem);
    }
}
