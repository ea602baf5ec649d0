package dev.wsnetty.netty.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An opening handshake request as raw text, valid by default and varied one field at a time: the method, the
 * HTTP version, any header set, replaced in place or removed. Headers keep their order. The key is the one of
 * the example in RFC 6455 §1.3, so the answer is known byte for byte.
 */
public final class UpgradeRequest {
    /** The {@code Sec-WebSocket-Key} of the example in RFC 6455 §1.3. */
    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** The {@code Sec-WebSocket-Accept} a server answers {@link #KEY} with. */
    public static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    /** The whole 101 answer to {@link #KEY} when the server selects no subprotocol and adds no header. */
    public static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n"
            + "\r\n";

    private String method = "GET";
    private final String target;
    private String version = "HTTP/1.1";
    private final Map<String, String> headers = new LinkedHashMap<>();

    private UpgradeRequest(String target) {
        this.target = target;
        headers.put("Host", "example.com");
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", KEY);
        headers.put("Sec-WebSocket-Version", "13");
    }

    /** A valid request for {@code target} (path and query) with {@code Host: example.com}. */
    public static UpgradeRequest to(String target) {
        return new UpgradeRequest(target);
    }

    /** Replaces the method ("GET"). */
    public UpgradeRequest method(String method) {
        this.method = method;
        return this;
    }

    /** Replaces the HTTP version ("HTTP/1.1"). */
    public UpgradeRequest version(String version) {
        this.version = version;
        return this;
    }

    /** Sets a header: replaced in place when present, added at the end otherwise. */
    public UpgradeRequest header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Removes a header. */
    public UpgradeRequest without(String name) {
        headers.remove(name);
        return this;
    }

    /** The request head, up to and including the blank line. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(' ').append(version)
                .append("\r\n");
        headers.forEach((name, value) -> b.append(name).append(": ").append(value).append("\r\n"));
        return b.append("\r\n").toString();
    }
}
