package dev.wsnetty.netty.client;

import dev.wsnetty.HandshakeResponse;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The server redirected the upgrade request and the client did not follow: the redirect goes from wss to ws
 * (which would send the request, and any credentials, in clear text), there were more redirects in a row than
 * {@link RedirectPolicy#maxRedirects()} allows, or the {@code Location} is not a URI the client can open. Carries the
 * redirect response and the URIs opened so far.
 */
public class WebSocketRedirectException extends WebSocketHandshakeException {
    private static final long serialVersionUID = 1L;

    private final transient HandshakeResponse response;
    private final transient List<URI> opened;

    /**
     * An exception for a redirect not followed.
     *
     * @param message  what was not followed and why
     * @param response the redirect response
     * @param opened   the URIs requested so far, the first one first
     */
    public WebSocketRedirectException(String message, HandshakeResponse response, List<URI> opened) {
        super(message);
        this.response = Objects.requireNonNull(response, "response");
        this.opened = List.copyOf(opened);
    }

    /** The redirect response that was not followed: its status and {@code Location}. */
    public HandshakeResponse response() {
        return response;
    }

    /** The URIs requested, the first one first; the last one answered {@link #response()}. */
    public List<URI> opened() {
        return opened;
    }
}
