package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.WebSocketConfig;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How {@link ServerHandshakeHandler}s answer handshakes: the routes, the limits, where {@code accept} runs and
 * whether plain HTTP requests are passed on. Immutable and shared by all connections of a server.
 */
public final class ServerHandshakeConfig {
    private final HandlerRouter<? extends WebSocketEndpoint> router;
    private final WebSocketConfig config;
    private final Executor acceptExecutor;
    private final boolean httpFallback;

    private ServerHandshakeConfig(Builder b) {
        this.router = b.router;
        this.config = b.config;
        this.acceptExecutor = b.acceptExecutor;
        this.httpFallback = b.httpFallback;
    }

    /** A builder with {@link WebSocketConfig#DEFAULT}, no accept executor and no HTTP fallback. */
    public static Builder builder(HandlerRouter<? extends WebSocketEndpoint> router) {
        return new Builder(router);
    }

    /** The routes from host and path to endpoint. */
    public HandlerRouter<? extends WebSocketEndpoint> router() {
        return router;
    }

    /** Limits and timeouts: handshake limits here, and those of the frame handlers installed on upgrade. */
    public WebSocketConfig config() {
        return config;
    }

    /** Where endpoint hooks run; {@code null} means on the channel's event loop. */
    public Executor acceptExecutor() {
        return acceptExecutor;
    }

    /** Whether requests that are not WebSocket handshakes go to the next handler instead of getting 400. */
    public boolean httpFallback() {
        return httpFallback;
    }

    /** Builds {@link ServerHandshakeConfig}. */
    public static final class Builder {
        private final HandlerRouter<? extends WebSocketEndpoint> router;
        private WebSocketConfig config = WebSocketConfig.DEFAULT;
        private Executor acceptExecutor;
        private boolean httpFallback;

        private Builder(HandlerRouter<? extends WebSocketEndpoint> router) {
            this.router = Objects.requireNonNull(router, "router");
        }

        /** Sets limits and timeouts (default {@link WebSocketConfig#DEFAULT}). */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Runs the endpoint hooks ({@code originPolicy}, {@code accept}, {@code selectSubprotocol}, {@code reserve}) on this
         * executor, so they may block; {@code null} (the default) runs them on the event loop. The
         * connection is not read while they run.
         */
        public Builder acceptExecutor(Executor executor) {
            this.acceptExecutor = executor;
            return this;
        }

        /**
         * Passes requests that are not WebSocket handshakes (and their content) to the handler after the
         * {@link ServerHandshakeHandler}, to serve plain HTTP on the same port. Off by default: they get 400.
         */
        public Builder httpFallback(boolean enabled) {
            this.httpFallback = enabled;
            return this;
        }

        /** The settings. */
        public ServerHandshakeConfig build() {
            return new ServerHandshakeConfig(this);
        }
    }
}
