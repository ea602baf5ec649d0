package dev.wsnetty;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The extra headers of a handshake response, filled by {@link WebSocketHandler#accept} (cookies, a chosen
 * subprotocol, ...). Ordered and mutable; each entry goes on the wire exactly as {@code "Name: value"} CRLF, in
 * insertion order, before the headers the server sets itself ({@code Connection}, {@code Upgrade},
 * {@code Sec-WebSocket-Accept}), which replace a user entry of the same name, as in the original.
 *
 * <p>Names must be HTTP tokens and values must not contain CR, LF or NUL, so a handler cannot split the response;
 * anything else is rejected with an {@link IllegalArgumentException} that says which character was wrong. Not
 * thread-safe: it is meant to be filled by the one thread running {@code accept}.
 */
public final class ResponseHeaders implements Iterable<HeaderField> {
    private final List<HeaderField> fields = new ArrayList<>();

    /** Empty headers. */
    public ResponseHeaders() {
    }

    /**
     * Appends a header line, keeping any existing ones of the same name.
     *
     * @param name  an HTTP token, e.g. {@code Set-Cookie}
     * @param value the value, without CR, LF or NUL; leading and trailing whitespace is kept as given
     * @return this, for chaining
     */
    public ResponseHeaders add(String name, String value) {
        fields.add(checked(name, value));
        return this;
    }

    /**
     * Sets a header: replaces the first line with this name (ignoring case) in place, spelled as given now, and
     * drops the later ones, or appends a line if there is none.
     *
     * @param name  an HTTP token
     * @param value the value, without CR, LF or NUL
     * @return this, for chaining
     */
    public ResponseHeaders set(String name, String value) {
        HeaderField field = checked(name, value);
        int first = indexOf(name);
        if (first < 0) {
            fields.add(field);
            return this;
        }
        fields.set(first, field);
        fields.subList(first + 1, fields.size()).removeIf(f -> f.name().equalsIgnoreCase(name));
        return this;
    }

    /**
     * Removes every line with this name (ignoring case).
     *
     * @return whether any line was removed
     */
    public boolean remove(String name) {
        return fields.removeIf(f -> f.name().equalsIgnoreCase(name));
    }

    /** The value of the first line with this name (ignoring case), or null. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : fields.get(i).value();
    }

    /** Whether a line with this name (ignoring case) is present. */
    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** The number of header lines. */
    public int size() {
        return fields.size();
    }

    /** Every header line in insertion order, as an unmodifiable view. */
    public List<HeaderField> asList() {
        return Collections.unmodifiableList(fields);
    }

    /** Iterates over the header lines in insertion order; the iterator cannot remove. */
    @Override
    public Iterator<HeaderField> iterator() {
        return asList().iterator();
    }

    /** The lines as they go on the wire, one "Name: value" per line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (HeaderField f : fields) {
            sb.append(f).append('\n');
        }
        return sb.toString();
    }

    private int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static HeaderField checked(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
        if (value == null) {
            throw new IllegalArgumentException("header value of " + name + " must not be null");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name \"" + name + "\" has a character not allowed in"
                        + " an HTTP token at index " + i + ": U+" + String.format("%04X", (int) name.charAt(i)));
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("value of header " + name + " contains "
                        + (c == 0 ? "NUL" : c == '\r' ? "CR" : "LF") + " at index " + i
                        + "; a header value must be a single line");
            }
        }
        return new HeaderField(name, value);
    }

    /** RFC 9110 tchar: visible ASCII except the separators. */
    private static boolean isTokenChar(char c) {
        if (c <= 0x20 || c >= 0x7F) {
            return false;
        }
        return "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
