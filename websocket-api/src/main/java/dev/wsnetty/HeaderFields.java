package dev.wsnetty;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, ordered list of HTTP header fields with case-insensitive lookup by name, as a request or a
 * handshake response carried them. Duplicate names are kept (in order); {@link #get(String)} returns the first.
 * Lookups scan the list, which is fast for the few dozen headers a handshake has (the transport bounds their
 * total size).
 */
public final class HeaderFields implements Iterable<HeaderField> {
    /** No headers. */
    public static final HeaderFields EMPTY = new HeaderFields(List.of());

    private final List<HeaderField> fields;

    private HeaderFields(List<HeaderField> fields) {
        this.fields = fields;
    }

    /**
     * Headers holding a copy of {@code fields}, in their order.
     *
     * @param fields the header fields, not null, no null elements
     */
    public static HeaderFields of(List<HeaderField> fields) {
        return fields.isEmpty() ? EMPTY : new HeaderFields(List.copyOf(fields));
    }

    /** The value of the first header named {@code name} (ignoring case), or null if there is none. */
    public String get(String name) {
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    /** The values of every header named {@code name} (ignoring case), in order; empty if there is none. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(2);
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                values.add(f.value());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** Whether a header named {@code name} (ignoring case) is present. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * The distinct header names in order of first appearance, each spelled as it first appeared; names that
     * differ only in case count once.
     */
    public Set<String> names() {
        Map<String, String> byLowerCase = new LinkedHashMap<>();
        for (HeaderField f : fields) {
            byLowerCase.putIfAbsent(f.name().toLowerCase(Locale.ROOT), f.name());
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(byLowerCase.values()));
    }

    /** The number of header lines (duplicates counted). */
    public int size() {
        return fields.size();
    }

    /** Whether there are no headers. */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** Every header line in order, as an unmodifiable list. */
    public List<HeaderField> asList() {
        return fields;
    }

    /** Iterates over every header line in order; the iterator cannot remove. */
    @Override
    public Iterator<HeaderField> iterator() {
        return fields.iterator();
    }

    /** The header lines, one "Name: value" per line, for logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (HeaderField f : fields) {
            sb.append(f).append('\n');
        }
        return sb.toString();
    }
}
