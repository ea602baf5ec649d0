package dev.wsnetty.netty.client;

/**
 * The connection through a proxy could not be made: the proxy is unreachable, refused the tunnel (the
 * message gives its answer, e.g. {@code 407 Proxy Authentication Required} or {@code 403 Forbidden}), closed
 * the connection before answering, or did not answer in time. The message names the proxy and the server.
 */
public class WebSocketProxyException extends WebSocketConnectException {
    private static final long serialVersionUID = 1L;

    /** The proxy that failed, not serialised. */
    private final transient ClientProxy proxy;

    /** An exception about {@code proxy}, with a message saying what happened and the underlying cause. */
    public WebSocketProxyException(ClientProxy proxy, String message, Throwable cause) {
        super(message, cause);
        this.proxy = proxy;
    }

    /** The proxy that failed (null after deserialisation). */
    public ClientProxy proxy() {
        return proxy;
    }
}
