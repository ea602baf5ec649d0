package dev.wsnetty.netty.server;

import dev.wsnetty.AllowedOrigins;
import dev.wsnetty.HeaderField;
import dev.wsnetty.HandlerThread;
import dev.wsnetty.HeaderFields;
import dev.wsnetty.RequestData;
import dev.wsnetty.ResponseHeaders;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.WebSocketTimeoutException;
import dev.wsnetty.internal.Log;
import dev.wsnetty.internal.RateLimitedLog;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import dev.wsnetty.netty.adapter.NettyCommunicators;
import dev.wsnetty.netty.topics.ChannelTopics;
import dev.wsnetty.netty.handshake.EndpointBusyException;
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
import java.util.concurrent.RejectedExecutionException;

/**
 * The route target of one registered {@link WebSocketHandler}: translates the handshake into the handler's
 * Netty-free {@link RequestData} and {@link ResponseHeaders}, and hands each upgraded connection's communicator
 * to {@link WebSocketHandler#handleCommunication}.
 *
 * <p>The handler's thread is reserved before the 101 ({@link #reserve}): a {@link ThreadedWebSocketHandler} runs its
 * lifecycle on a thread of its kind, any other handler its whole {@code handleCommunication} on a connection
 * thread. Platform threads count against the server's {@link ServerConfig#maxPlatformHandlerThreads()}.
 */
final class HandlerEndpoint implements WebSocketEndpoint {
    private static final Log LOG = Log.of(HandlerEndpoint.class);

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

    /**
     * Reserves the handler's thread before the 101: a platform thread counts against the server's
     * {@link ServerConfig#maxPlatformHandlerThreads()} and is started now, so that a handshake the server has no
     * thread for gets 503 with {@code Retry-After} instead of a 101 and then nothing.
     */
    @Override
    public Reservation reserve(HandshakeRequest request) {
        HandlerThreadSlots slots = runtime.handlerThreadSlots();
        boolean counted = handler.runsOnPlatformThreads();
        if (counted && !slots.tryTake()) {
            throw busy(slots.whyFull(), null);
        }
        Runnable whenEnded = counted ? slots::giveBack : HandlerThread.NOTHING_WHEN_ENDED;
        HandlerThread thread;
        try {
            thread = handler.reserveThread(whenEnded);
        } catch (RejectedExecutionException e) {
            whenEnded.run();
            if (counted) {
                slots.threadsRanOut();
            }
            runtime.log().warn(LOG, "handler-thread", () -> "Refusing a WebSocket handshake with 503: "
                    + e.getMessage() + (counted ? "; the bound is now the " + slots.inUse() + " platform handler"
                    + " threads in use, and the threads kept in reserve were freed for the JVM" : ""));
            throw busy("no handler thread can be started", e);
        } catch (RuntimeException | Error e) {
            whenEnded.run();
            throw e;
        }
        return new ThreadReservation(thread);
    }

    /** Reserves a thread and opens at once; the handshake handler uses {@link #reserve} instead, before the 101. */
    @Override
    public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
        reserve(request).opened(channel, request, subprotocol);
    }

    private EndpointBusyException busy(String why, Throwable cause) {
        return new EndpointBusyException("The server cannot take another WebSocket connection now: " + why,
                runtime.serverConfig().retryAfter(), cause);
    }

    /** Attaches the communicator and starts the handler's lifecycle for this connection on the reserved thread. */
    private void opened(Channel channel, String subprotocol, HandlerThread thread) {
        QueuedCommunicator communicator;
        try {
            CommunicatorConfig settings = runtime.communicatorConfig();
            communicator = NettyCommunicators.attach(channel, settings, subprotocol, runtime.topics());
            runtime.connections().upgraded(channel, communicator);
            // After upgraded(): the first publishToAll registers what upgraded() lists, then register() joins at once.
            runtime.topics().register(channel);
        } catch (RuntimeException | Error e) {
            thread.release();
            throw e;
        }
        HandlerThread onLoop = onEventLoop(channel);
        if (onLoop != null) {
            thread.release(); // a virtual thread's reservation: nothing was started
            thread = onLoop;
        }
        if (handler instanceof ThreadedWebSocketHandler) {
            ((ThreadedWebSocketHandler) handler).handleCommunication(communicator, thread);
        } else {
            thread.run(() -> handle(communicator));
        }
    }

    /**
     * A virtual thread carried by the channel's event loop, when the server is set so
     * ({@link ServerConfig#handlerThreadsOnEventLoop()}), the handler runs on virtual threads and the JVM allows it;
     * else null.
     */
    private HandlerThread onEventLoop(Channel channel) {
        if (!runtime.serverConfig().handlerThreadsOnEventLoop() || handler.runsOnPlatformThreads()) {
            return null;
        }
        Executor executor = runtime.eventLoopHandlerThreads().on(channel.eventLoop());
        return executor == null ? null : HandlerThread.startedBy(executor);
    }

    private void handle(QueuedCommunicator communicator) {
        try {
            handler.handleCommunication(communicator);
        } catch (WebSocketTimeoutException e) {
            // A peer that stopped reading: the network's doing, not a bug, and one a client can repeat at will.
            runtime.log().warn(LOG, "write-timeout", () -> handler.getClass().getName() + " ended " + communicator
                    + " with 1011: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            // WebSocketHandler has already closed the connection with 1011.
            LOG.log(Log.Level.ERROR, handler.getClass().getName() + " failed to handle " + communicator, e);
        }
    }

    @Override
    public String toString() {
        return "HandlerEndpoint[" + handler.getClass().getName() + ']';
    }

    /** A handler thread set aside for one connection. */
    private final class ThreadReservation implements Reservation {
        private final HandlerThread thread;

        ThreadReservation(HandlerThread thread) {
            this.thread = thread;
        }

        @Override
        public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
            HandlerEndpoint.this.opened(channel, subprotocol, thread);
        }

        @Override
        public void release() {
            thread.release();
        }
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

        /** The server's count of platform handler threads. */
        HandlerThreadSlots handlerThreadSlots();

        /** The server's rate-limited log. */
        RateLimitedLog log();

        /** Where virtual handler threads carried by event loops come from. */
        EventLoopHandlerThreads eventLoopHandlerThreads();

        /** The server's topics. */
        ChannelTopics topics();
    }
}
