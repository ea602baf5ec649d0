package dev.wsnetty.netty.server;

import dev.wsnetty.AllowedOrigins;
import dev.wsnetty.HeaderField;
import dev.wsnetty.HeaderFields;
import dev.wsnetty.RequestData;
import dev.wsnetty.ResponseHeaders;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import dev.wsnetty.netty.handshake.HandshakeRequest;
import dev.wsnetty.netty.handshake.OriginPolicy;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.spi.QueuedCommunicator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The route target of one registered {@link WebSocketHandler}: translates the handshake into the handler's
 * Netty-free {@link RequestData} and {@link ResponseHeaders}, and hands each upgraded connection's communicator
 * to {@link WebSocketHandler#handleCommunication}.
 *
 * <p>A {@link ThreadedWebSocketHandler} returns from {@code handleCommunication} at once (it starts its own
 * thread), so it is called on the event loop. Any other handler runs the connection's whole lifecycle in
 * {@code handleCommunication} and may block, so it is called on a connection thread from
 * {@code connectionExecutor}.
 */
final class HandlerEndpoint implements WebSocketEndpoint {
    private static final System.Logger LOG = System.getLogger(HandlerEndpoint.class.getName());

    private final WebSocketHandler handler;
    private final ServerRuntime runtime;

    HandlerEndpoint(WebSocketHandler handler, ServerRuntime runtime) {
        this.handler = handler;
        this.runtime = runtime;
    }

    WebSocketHandler handler() {
        return handler;
    }

    /** Asks the handler; its response headers go into the 101. An exception is answered with 500. */
    @Override
    public boolean accept(HandshakeRequest request, HttpHeaders responseHeaders) {
        ResponseHeaders extra = new ResponseHeaders();
        if (!handler.accept(requestData(request), extra)) {
            return false;
        }
        for (HeaderField field : extra) {
            responseHeaders.add(field.name(), field.value());
        }
        return true;
    }

    /**
     * The handler's {@link WebSocketHandler#allowedOrigins()}, or the server's {@link ServerConfig#allowedOrigins()}
     * when the handler leaves it to the server.
     */
    @Override
    public OriginPolicy originPolicy() {
        AllowedOrigins own = handler.allowedOrigins();
        AllowedOrigins allowed = own != null ? own : runtime.serverConfig().allowedOrigins();
        return (origin, request) -> allowed.allows(origin, request.host());
    }

    /** Asks the handler which of the offered subprotocols to speak. */
    @Override
    public String selectSubprotocol(List<String> offered) {
        return handler.selectSubprotocol(offered);
    }

    /** Attaches the communicator and starts the handler's lifecycle for this connection. */
    @Override
    public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
        CommunicatorConfig settings = runtime.communicatorConfig();
        QueuedCommunicator communicator = NettyCommunicators.attach(channel, settings, subprotocol);
        runtime.connections().upgraded(channel, communicator);
        if (handler instanceof ThreadedWebSocketHandler) {
            handle(communicator);
        } else {
            runtime.connectionExecutor().execute(() -> handle(communicator));
        }
    }

    private void handle(QueuedCommunicator communicator) {
        try {
            handler.handleCommunication(communicator);
        } catch (RuntimeException | Error e) {
            // WebSocketHandler has already closed the connection with 1011.
            LOG.log(System.Logger.Level.ERROR, handler.getClass().getName() + " failed to handle " + communicator, e);
        }
    }

    @Override
    public String toString() {
        return "HandlerEndpoint[" + handler.getClass().getName() + ']';
    }

    /** The handshake as the handler sees it: no Netty types. */
    static RequestData requestData(HandshakeRequest request) {
        List<HeaderField> fields = new ArrayList<>(request.headers().size());
        for (Map.Entry<String, String> header : request.headers()) {
            fields.add(new HeaderField(header.getKey(), header.getValue()));
        }
        return new RequestData(request.method(), request.path(), request.host(), request.key(),
                HeaderFields.of(fields), (InetSocketAddress) request.remoteAddress());
    }

    /** What the endpoints of one server share: settings, connection tracking, threads. */
    interface ServerRuntime {
        /** The server-wide settings. */
        ServerConfig serverConfig();

        /** How communicators are set up. */
        CommunicatorConfig communicatorConfig();

        /** The server's live connections. */
        LiveConnections connections();

        /** Where plain handlers run their connections. */
        Executor connectionExecutor();
    }
}
