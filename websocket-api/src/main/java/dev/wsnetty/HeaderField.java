package dev.wsnetty;

import java.util.Objects;

/**
 * One HTTP header line: a name and its value, both as they were received or added (names keep their spelling;
 * lookups elsewhere ignore case).
 *
 * @param name  the header name, not null
 * @param value the header value, not null, possibly empty
 */
public record HeaderField(String name, String value) {
    /** Rejects null names and values. */
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** The line exactly as it appears on the wire, without CRLF: {@code "Name: value"}. */
    @Override
    public String toString() {
        return name + ": " + value;
    }
}
