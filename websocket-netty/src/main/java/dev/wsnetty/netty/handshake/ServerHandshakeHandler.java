package dev.wsnetty.netty.handshake;

import dev.wsnetty.internal.Log;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.deflate.DeflateAgreement;
import dev.wsnetty.netty.deflate.ServerDeflateNegotiator;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.stats.ConnectionTelemetry;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the WebSocket opening handshake (RFC 6455 §4.2). Sits after Netty's
 * {@link HttpServerCodec}; see {@link WebSocketPipeline#addServerHandshake} for the usual setup.
 *
 * <p>For each request it decides:
 * <ul>
 *   <li><b>not a WebSocket handshake</b> (no {@code Upgrade: websocket}, no {@code Sec-WebSocket-Key} or
 *       {@code -Version}): with {@link ServerHandshakeConfig#httpFallback() HTTP fallback} it is passed, with its
 *       content, to the next handler, and the handshake timeout is cancelled for good (later requests on the
 *       connection are judged the same way); without fallback it gets 400;</li>
 *   <li><b>a WebSocket handshake</b>: once the request is complete, the HTTP handlers are removed from the
 *       pipeline (so bytes sent after the request are never parsed as HTTP), the request is validated
 *       (400, or 426 for the version), routed (404), and the endpoint's origin policy, {@code accept} and
 *       {@code selectSubprotocol} are asked (403, 500 if they fail), and {@code reserve} sets aside what the
 *       connection needs (503 with {@code Retry-After} if it cannot). Then the 101 is written, the frame
 *       handlers are installed after this handler, the handlers that followed it are removed if HTTP
 *       fallback is on (they are the HTTP application and must not see frames; without fallback they stay
 *       and receive frames), permessage-deflate is added when an offer was accepted
 *       ({@link ServerDeflateNegotiator}; the agreement readable through {@link DeflateAgreement}), this handler
 *       removes itself and the endpoint's {@link WebSocketEndpoint.Reservation#opened} is called (or, if the connection ended before,
 *       {@link WebSocketEndpoint.Reservation#release}). Bytes the client sent right after its request, without
 *       waiting for the 101, are passed to the frame decoder after that.</li>
 * </ul>
 * A request the HTTP decoder cannot read gets 414 (request line too long), 431 (headers too large) or
 * 400. A connection that has not completed its handshake within {@code handshakeTimeout} gets 408, or 503
 * when the endpoint is still deciding. Every refusal is a complete HTTP response with
 * {@code Connection: close}; the server then half-closes and drops whatever else the client sends until
 * the client closes, or {@code closeTimeout} elapses (closing with unread input would reset the connection
 * and could destroy the response before the client reads it).
 *
 * <p>A WebSocket handshake that follows plain HTTP requests on a keep-alive connection is answered as soon
 * as it is complete, so the HTTP handler must have answered the earlier requests by then.
 *
 * <p>One instance per channel; not sharable.
 */
public final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Log LOG = Log.of(ServerHandshakeHandler.class);

    private enum State {
        /** Waiting for the head of the next request. */
        AWAITING_REQUEST,
        /** Discarding the content of a WebSocket handshake request until it is complete. */
        READING_HANDSHAKE,
        /** Passing a plain HTTP request's content on to the fallback handler. */
        PASSING_HTTP,
        /** The HTTP handlers are gone and the endpoint is deciding; arriving bytes are held for the frame decoder. */
        DECIDING,
        /** Refused: the answer is out, whatever arrives is dropped until the connection closes. */
        REFUSED,
        /** Upgraded, removed or closed: nothing left to do. */
        FINISHED
    }

    private final ServerHandshakeConfig settings;
    private State state = State.AWAITING_REQUEST;
    private HttpRequest handshake;
    /** Bytes that arrived while the endpoint was deciding, for the frame decoder; null until some do. Event loop. */
    private ArrayDeque<ByteBuf> early;
    private ScheduledFuture<?> timeout;
    private boolean servedHttp;
    private boolean pausedReading;

    /** Creates the handler for one connection. */
    public ServerHandshakeHandler(ServerHandshakeConfig settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startTimeout(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startTimeout(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        finish();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case AWAITING_REQUEST:
                onRequestHead(ctx, msg);
                break;
            case READING_HANDSHAKE:
                onHandshakeContent(ctx, msg);
                break;
            case PASSING_HTTP:
                if (msg instanceof LastHttpContent) {
                    state = State.AWAITING_REQUEST;
                }
                ctx.fireChannelRead(msg);
                break;
            case DECIDING:
                if (msg instanceof ByteBuf) {
                    if (early == null) {
                        early = new ArrayDeque<>(2);
                    }
                    early.add((ByteBuf) msg);
                } else {
                    ReferenceCountUtil.release(msg);
                }
                break;
            default:
                ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && state == State.REFUSED) {
            // The client has finished sending after our refusal: nothing more to drain.
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (servedHttp && (state == State.AWAITING_REQUEST || state == State.PASSING_HTTP)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.log(Log.Level.DEBUG, () -> "Closing " + ctx.channel() + " during the WebSocket handshake", cause);
        ctx.close();
    }

    private void onRequestHead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpRequest request = (HttpRequest) msg;
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            ReferenceCountUtil.release(msg);
            refuse(ctx, undecodable(cause));
            return;
        }
        if (settings.httpFallback() && !HandshakeRequestValidator.isWebSocketAttempt(request)) {
            // The timeout guards WebSocket handshakes; slow or idle HTTP is the HTTP handler's business.
            cancelTimeout();
            servedHttp = true;
            if (!(msg instanceof LastHttpContent)) {
                state = State.PASSING_HTTP;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        handshake = request;
        state = State.READING_HANDSHAKE;
        if (msg instanceof LastHttpContent) {
            // Only the content is released; the head's headers stay readable.
            ReferenceCountUtil.release(msg);
            onHandshakeComplete(ctx);
        }
    }

    private void onHandshakeContent(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpContent)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        HttpContent content = (HttpContent) msg;
        Throwable failure = content.decoderResult().cause();
        boolean last = msg instanceof LastHttpContent;
        content.release();
        if (failure != null) {
            refuse(ctx, undecodable(failure));
        } else if (last) {
            onHandshakeComplete(ctx);
        }
    }

    private void onHandshakeComplete(ChannelHandlerContext ctx) {
        state = State.DECIDING;
        // First of all, so that bytes already read past the request come back here as raw bytes (to be held
        // for the frame decoder) instead of being parsed as the next HTTP request.
        WebSocketPipeline.removeHttpHandlers(ctx);
        HttpRequest request = handshake;
        handshake = null;
        HandshakeRefusal invalid = HandshakeRequestValidator.check(request);
        if (invalid != null) {
            refuse(ctx, invalid);
            return;
        }
        Channel channel = ctx.channel();
        HandshakeRequest snapshot = HandshakeRequest.of(request, channel.remoteAddress(), channel.localAddress());
        WebSocketEndpoint endpoint = settings.router().route(snapshot.host(), snapshot.path());
        if (endpoint == null) {
            refuse(ctx, HandshakeRefusal.noRoute());
            return;
        }
        Executor executor = settings.acceptExecutor();
        if (executor == null) {
            decided(ctx, Decision.make(endpoint, snapshot));
            return;
        }
        pauseReading(channel.config());
        try {
            executor.execute(() -> {
                Decision decision = Decision.make(endpoint, snapshot);
                try {
                    ctx.executor().execute(() -> decided(ctx, decision));
                } catch (RejectedExecutionException loopGone) {
                    // The event loop is shutting down and closes the channel itself.
                    decision.release();
                    LOG.log(Log.Level.DEBUG, () -> "Event loop gone, dropping handshake of " + channel);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Log.Level.WARN, () -> "Accept executor rejected the handshake of " + channel, e);
            refuse(ctx, HandshakeRefusal.busy());
        }
    }

    private void decided(ChannelHandlerContext ctx, Decision decision) {
        if (state != State.DECIDING) {
            decision.release(); // timed out, closed or removed while the endpoint was deciding
            return;
        }
        if (decision.refusal != null) {
            refuse(ctx, decision.refusal);
        } else {
            upgrade(ctx, decision);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, Decision decision) {
        Channel channel = ctx.channel();
        HandshakeRequest request = decision.request;
        Optional<ServerDeflateNegotiator.Accepted> deflate = ServerDeflateNegotiator.negotiate(
                request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS), settings.config().compression());
        ctx.writeAndFlush(HandshakeResponses.switchingProtocols(ctx.alloc(), decision.responseHeaders,
                request.key(), decision.subprotocol, deflate.map(ServerDeflateNegotiator.Accepted::responseHeader)
                        .orElse(null))).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ConnectionTelemetry.handshakeAccepted(WebSocketStatistics.of(channel));
        ChannelPipeline pipeline = ctx.pipeline();
        if (settings.httpFallback()) {
            WebSocketPipeline.removeHandlersAfter(ctx);
        }
        WebSocketPipeline.addFrameHandlers(ctx, settings.config(), Role.SERVER);
        if (deflate.isPresent()) {
            WebSocketPipeline.addDeflate(pipeline, deflate.get().parameters(), settings.config(), Role.SERVER);
        }
        ArrayDeque<ByteBuf> pending = early;
        early = null;
        state = State.FINISHED;
        pipeline.remove(this);
        try {
            decision.reservation.opened(channel, request, decision.subprotocol);
        } catch (RuntimeException e) {
            LOG.log(Log.Level.WARN, () -> decision.endpoint + ".opened failed for " + request, e);
            release(pending);
            channel.close();
            return;
        }
        if (pending != null) {
            // Our context is removed but still links to its successor, the frame decoder.
            for (ByteBuf bytes : pending) {
                ctx.fireChannelRead(bytes);
            }
            ctx.fireChannelReadComplete();
        }
        resumeReading(channel.config());
    }

    private void refuse(ChannelHandlerContext ctx, HandshakeRefusal refusal) {
        state = State.REFUSED;
        ConnectionTelemetry.handshakeFailed(WebSocketStatistics.of(ctx.channel()), ctx.channel(), true,
                refusal.status().code(), refusal.reason());
        cancelTimeout();
        WebSocketPipeline.removeHttpHandlers(ctx);
        release(early);
        early = null;
        // Keep reading so that the rest of the request is drained rather than answered with a reset.
        resumeReading(ctx.channel().config());
        ctx.writeAndFlush(HandshakeResponses.refusal(ctx.alloc(), refusal))
                .addListener(written -> closeAfterRefusal(ctx.channel()));
    }

    private void closeAfterRefusal(Channel channel) {
        if (!channel.isActive() || !(channel instanceof DuplexChannel) || channel.pipeline().get(SslHandler.class) != null) {
            // Over TLS, close() sends close_notify, which is the clean end the client waits for.
            channel.close();
            return;
        }
        ((DuplexChannel) channel).shutdownOutput().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        Duration linger = settings.config().closeTimeout();
        ScheduledFuture<?> forceClose = channel.eventLoop().schedule(() -> {
            channel.close();
        }, linger.toNanos(), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> forceClose.cancel(false));
    }

    private void startTimeout(ChannelHandlerContext ctx) {
        Duration limit = settings.config().handshakeTimeout();
        if (timeout != null || limit.isZero() || state != State.AWAITING_REQUEST || servedHttp) {
            return;
        }
        timeout = ctx.executor().schedule(() -> {
            timeout = null;
            if (state == State.AWAITING_REQUEST || state == State.READING_HANDSHAKE) {
                refuse(ctx, HandshakeRefusal.requestTimeout(limit));
            } else if (state == State.DECIDING) {
                refuse(ctx, HandshakeRefusal.decisionTimeout(limit));
            }
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private void finish() {
        if (state != State.REFUSED) {
            state = State.FINISHED;
        }
        cancelTimeout();
        handshake = null;
        release(early);
        early = null;
    }

    private HandshakeRefusal undecodable(Throwable cause) {
        return HandshakeRefusal.undecodable(cause, settings.config().maxHandshakeLineLength(),
                settings.config().maxHandshakeHeaderSize());
    }

    private void pauseReading(ChannelConfig config) {
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            pausedReading = true;
        }
    }

    private void resumeReading(ChannelConfig config) {
        if (pausedReading) {
            pausedReading = false;
            config.setAutoRead(true);
        }
    }

    private static void release(ArrayDeque<ByteBuf> buffers) {
        if (buffers != null) {
            for (ByteBuf b : buffers) {
                b.release();
            }
            buffers.clear();
        }
    }

    /** The endpoint's answer to one handshake: a refusal, or the headers and subprotocol for the 101. */
    private static final class Decision {
        final WebSocketEndpoint endpoint;
        final HandshakeRequest request;
        final HttpHeaders responseHeaders;
        final String subprotocol;
        final HandshakeRefusal refusal;
        /** What the endpoint reserved for the connection; null when refused. */
        final WebSocketEndpoint.Reservation reservation;

        private Decision(WebSocketEndpoint endpoint, HandshakeRequest request, HttpHeaders responseHeaders,
                         String subprotocol, HandshakeRefusal refusal, WebSocketEndpoint.Reservation reservation) {
            this.endpoint = endpoint;
            this.request = request;
            this.responseHeaders = responseHeaders;
            this.subprotocol = subprotocol;
            this.refusal = refusal;
            this.reservation = reservation;
        }

        /** Gives back the reservation of a connection that will not be opened. */
        void release() {
            if (reservation != null) {
                try {
                    reservation.release();
                } catch (RuntimeException e) {
                    LOG.log(Log.Level.WARN, () -> endpoint + ": releasing a reservation failed", e);
                }
            }
        }

        /** Runs the endpoint's hooks; on whichever thread {@code accept} is meant to run. */
        static Decision make(WebSocketEndpoint endpoint, HandshakeRequest request) {
            try {
                if (!endpoint.originPolicy().allows(request.origin(), request)) {
                    return refused(endpoint, request, HandshakeRefusal.originNotAllowed(request.origin()));
                }
                // Validating headers: an endpoint cannot smuggle CR/LF into the 101.
                HttpHeaders responseHeaders = DefaultHttpHeadersFactory.headersFactory().newHeaders();
                if (!endpoint.accept(request, responseHeaders)) {
                    return refused(endpoint, request, HandshakeRefusal.notAccepted());
                }
                String subprotocol = endpoint.selectSubprotocol(request.subprotocols());
                if (subprotocol != null && !request.subprotocols().contains(subprotocol)) {
                    LOG.log(Log.Level.WARN, () -> endpoint + ".selectSubprotocol returned \""
                            + subprotocol + "\", which the client did not offer " + request.subprotocols());
                    return refused(endpoint, request, HandshakeRefusal.serverError());
                }
                WebSocketEndpoint.Reservation reservation;
                try {
                    reservation = endpoint.reserve(request);
                } catch (EndpointBusyException busy) {
                    return refused(endpoint, request, HandshakeRefusal.endpointBusy(busy));
                }
                return new Decision(endpoint, request, responseHeaders, subprotocol, null, reservation);
            } catch (RuntimeException e) {
                LOG.log(Log.Level.WARN, () -> endpoint + " failed to accept " + request, e);
                return refused(endpoint, request, HandshakeRefusal.serverError());
            }
        }

        private static Decision refused(WebSocketEndpoint endpoint, HandshakeRequest request, HandshakeRefusal why) {
            return new Decision(endpoint, request, null, null, why, null);
        }
    }
}
