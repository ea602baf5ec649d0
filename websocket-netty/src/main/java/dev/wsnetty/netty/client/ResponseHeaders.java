package dev.wsnetty.netty.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The headers of a handshake response, in the order the server sent them, with case-insensitive lookup
 * by name. Immutable.
 */
public final class ResponseHeaders {
    /** No headers. */
    public static final ResponseHeaders EMPTY = new ResponseHeaders(List.of());

    private final List<Map.Entry<String, String>> entries;

    /** Headers from name/value pairs, kept in the given order. */
    public ResponseHeaders(List<Map.Entry<String, String>> entries) {
        List<Map.Entry<String, String>> copy = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> e : entries) {
            copy.add(Map.entry(e.getKey(), e.getValue()));
        }
        this.entries = List.copyOf(copy);
    }

    /** The first value of the header {@code name} (case-insensitive), or null if absent. */
    public String get(String name) {
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Every value of the header {@code name} (case-insensitive), in order; empty if absent. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) {
                values.add(e.getValue());
            }
        }
        return values;
    }

    /** Whether the header {@code name} is present (case-insensitive). */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /** The header names as the server spelled them, each once, in order of first appearance. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : entries) {
            names.add(e.getKey());
        }
        return names;
    }

    /** All name/value pairs in the order received. */
    public List<Map.Entry<String, String>> entries() {
        return entries;
    }

    /** How many header lines there are. */
    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
