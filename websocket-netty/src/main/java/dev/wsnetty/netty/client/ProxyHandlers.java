package dev.wsnetty.netty.client;

import dev.wsnetty.netty.internal.Durations;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Makes the Netty {@link ProxyHandler} for a {@link ClientProxy} and turns its failures into
 * {@link WebSocketProxyException}s that say what the proxy did.
 */
final class ProxyHandlers {
    private ProxyHandlers() {
    }

    /**
     * A handler that tunnels through {@code proxy}, reached at {@code address}.
     *
     * @param timeout how long the proxy may take to open the tunnel once connected; zero for no limit
     */
    static ProxyHandler create(ClientProxy proxy, InetSocketAddress address, Duration timeout) {
        String user = proxy.username().orElse(null);
        ProxyHandler handler = proxy.type() == ClientProxy.Type.HTTP
                ? (user == null ? new HttpProxyHandler(address) : new HttpProxyHandler(address, user, proxy.password()))
                : (user == null ? new Socks5ProxyHandler(address)
                        : new Socks5ProxyHandler(address, user, proxy.password()));
        handler.setConnectTimeoutMillis(timeout.toMillis());
        return handler;
    }

    /** The TCP connection to the proxy itself failed (refused, unreachable, timed out). */
    static WebSocketProxyException unreachable(ClientProxy proxy, String target, Throwable cause) {
        return new WebSocketProxyException(proxy, "cannot connect to " + proxy + " (on the way to " + target + "): "
                + describe(cause), cause);
    }

    /**
     * The proxy was reached but did not open the tunnel; {@code cause} is the handler's failure, whose message
     * is Netty's "protocol, auth, proxy => destination, what" form.
     */
    static WebSocketProxyException refused(ClientProxy proxy, ProxyHandler handler, String target, Duration timeout,
                                           Throwable cause) {
        String what = detailOf(handler, cause);
        String request = proxy.type() == ClientProxy.Type.HTTP ? "the CONNECT to " + target
                : "the connection to " + target;
        String message;
        if (what.equals("timeout")) {
            message = proxy + " did not answer " + request + " within " + Durations.describe(timeout);
        } else if (what.equals("disconnected")) {
            message = proxy + " closed the connection before answering " + request;
        } else if (what.startsWith("status: ")) {
            message = proxy + " refused " + request + ": " + what.substring("status: ".length());
        } else if (what.startsWith("authStatus: ")) {
            message = proxy + " refused the credentials for " + request + ": " + what;
        } else {
            message = proxy + " failed to open " + request + ": " + what;
        }
        return new WebSocketProxyException(proxy, message, cause);
    }

    private static String detailOf(ProxyHandler handler, Throwable cause) {
        String message = cause.getMessage() != null ? cause.getMessage() : "";
        String prefix = handler.protocol() + ", " + handler.authScheme() + ", " + handler.proxyAddress() + " => "
                + handler.destinationAddress() + ", ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : describe(cause);
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
