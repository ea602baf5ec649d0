package dev.wsnetty.netty.client;

import dev.wsnetty.HeaderField;
import dev.wsnetty.HeaderFields;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cookies of one handshake, kept in the application's {@link CookieHandler} (e.g. a
 * {@link java.net.CookieManager}): its cookies for the server go out in the request's {@code Cookie} header, and
 * the {@code Set-Cookie} headers of the server's answer go back into it. The handler is asked about the URI's
 * {@code http}/{@code https} counterpart ({@code ws://h/p} as {@code http://h/p}, {@code wss} as {@code https}),
 * so that cookies a web page on the same host got are sent, and {@code Secure} cookies only over wss.
 */
final class HandshakeCookies {
    private final CookieHandler handler;
    private final URI uri;

    /** The cookies for the server and request target {@code request} goes to. */
    HandshakeCookies(CookieHandler handler, ClientHandshakeRequest request) {
        this(handler, request.tls(), request.host(), request.port(), request.path());
    }

    /** The cookies for connections to {@code host:port} with request target {@code path}. */
    HandshakeCookies(CookieHandler handler, boolean tls, String host, int port, String path) {
        this.handler = handler;
        this.uri = URI.create((tls ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + ":" + port + path);
    }

    /**
     * {@code request} with the handler's cookies for its own server and path added (see {@link #requestHeaders}):
     * asked for each request, so that a redirect to another path or host gets that one's cookies.
     *
     * @throws UncheckedIOException if the handler fails
     */
    ClientHandshakeRequest addTo(ClientHandshakeRequest request) {
        Map<String, String> custom = new LinkedHashMap<>();
        request.headers().forEach(h -> custom.put(h.getKey(), h.getValue()));
        Map<String, String> headers = requestHeaders(custom);
        if (headers == custom) {
            return request;
        }
        ClientHandshakeRequest.Builder b = ClientHandshakeRequest.fromUri(request.uri())
                .subprotocols(request.subprotocols()).config(request.config());
        request.origin().ifPresent(b::origin);
        headers.forEach(b::header);
        return b.build();
    }

    /**
     * {@code custom} with the handler's cookies added: as a {@code Cookie} header, or appended to the
     * application's own {@code Cookie} header with "; " (RFC 6265 §5.4: one {@code Cookie} header per request).
     *
     * @throws UncheckedIOException if the handler fails
     */
    Map<String, String> requestHeaders(Map<String, String> custom) {
        Map<String, List<String>> answer;
        try {
            answer = handler.get(uri, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("the cookie handler failed for " + uri + ": " + e.getMessage(), e);
        }
        List<String> cookies = new ArrayList<>();
        answer.forEach((name, values) -> {
            if (name.equalsIgnoreCase("Cookie")) {
                values.stream().filter(v -> !v.isEmpty()).forEach(cookies::add);
            }
        });
        if (cookies.isEmpty()) {
            return custom;
        }
        String joined = String.join("; ", cookies);
        Map<String, String> headers = new LinkedHashMap<>(custom);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Cookie")) {
                h.setValue(h.getValue() + "; " + joined);
                return headers;
            }
        }
        headers.put("Cookie", joined);
        return headers;
    }

    /**
     * Hands the server's response headers to the handler, which stores what {@code Set-Cookie} says.
     *
     * @throws UncheckedIOException if the handler fails
     */
    void store(HeaderFields response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HeaderField f : response) {
            headers.computeIfAbsent(f.name(), name -> new ArrayList<>()).add(f.value());
        }
        try {
            handler.put(uri, headers);
        } catch (IOException e) {
            throw new UncheckedIOException("the cookie handler failed for " + uri + ": " + e.getMessage(), e);
        }
    }
}
