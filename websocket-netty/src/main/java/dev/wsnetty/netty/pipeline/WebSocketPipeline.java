package dev.wsnetty.netty.pipeline;

import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.FrameDecoder;
import dev.wsnetty.netty.codec.FrameEncoder;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.deflate.DeflateParameters;
import dev.wsnetty.netty.deflate.PerMessageDeflateHandler;
import dev.wsnetty.netty.internal.InboundBudgets;
import dev.wsnetty.netty.internal.tls.PlaintextRejector;
import dev.wsnetty.netty.internal.tls.SniSelector;
import dev.wsnetty.netty.internal.tls.TlsFailureLogger;
import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.netty.protocol.ProtocolHandler;
import dev.wsnetty.netty.tls.TlsServerConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecoder;
import io.netty.handler.codec.http.HttpContentEncoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every handler wsnetty puts into a connection's pipeline, with its name and its place, for server and client, plain
 * and TLS. The server, the client and the handshake handlers build and switch pipelines only through this class, so
 * the order below is the whole truth; an application that drops our handlers into its own pipeline calls the same
 * methods.
 *
 * <table>
 *   <caption>Pipelines, first handler (nearest the socket) at the top</caption>
 *   <tr><th>name</th><th>handler</th><th>server</th><th>client</th></tr>
 *   <tr><td>{@value #PROXY}</td><td>Netty's {@code ProxyHandler}: the tunnel through an HTTP CONNECT or SOCKS5
 *       proxy</td><td>-</td><td>through a proxy</td></tr>
 *   <tr><td>{@value #TLS_GUARD}</td><td>answers plain text on a TLS port with 400</td><td>wss, until the first
 *       bytes</td><td>-</td></tr>
 *   <tr><td>{@value #TLS}</td><td>Netty's {@link SslHandler} (an SNI handler that becomes one, with per-host
 *       certificates)</td><td>wss</td><td>wss</td></tr>
 *   <tr><td>{@value #TLS_FAILURE_LOG}</td><td>one log line per failed TLS handshake</td><td>wss, until the TLS
 *       handshake ends</td><td>-</td></tr>
 *   <tr><td>{@value #HTTP_CODEC}</td><td>Netty's HTTP/1.1 codec with the handshake's size limits</td><td>until the
 *       handshake request is complete</td><td>until the 101</td></tr>
 *   <tr><td>{@value #HANDSHAKE}</td><td>the opening handshake (RFC 6455 §4): {@code ServerHandshakeHandler},
 *       {@code ClientHandshakeHandler}</td><td>until the 101</td><td>until the 101</td></tr>
 *   <tr><td>{@value #HTTP_APPLICATION}</td><td>the application's plain HTTP handler (HTTP fallback)</td><td>until
 *       the 101</td><td>-</td></tr>
 *   <tr><td>{@value #DECODER}</td><td>{@link FrameDecoder}: bytes to frames</td><td>after the 101</td><td>after the
 *       101</td></tr>
 *   <tr><td>{@value #ENCODER}</td><td>{@link FrameEncoder}: frames to bytes</td><td>after the 101</td><td>after the
 *       101</td></tr>
 *   <tr><td><i>extensions</i>: {@value #DEFLATE}</td><td>negotiated extensions (RFC 6455 §9) go here, between
 *       the codec and the protocol handler: inbound they see frames with their RSV bits, outbound they transform
 *       messages before the encoder. {@link PerMessageDeflateHandler}: permessage-deflate (RFC 7692), inflates and
 *       compresses messages; added by {@link #addDeflate}</td><td>after the 101, when agreed</td><td>after the
 *       101, when agreed</td></tr>
 *   <tr><td>{@value #PROTOCOL}</td><td>{@link ProtocolHandler}: closing handshake, ping/pong, timeouts</td><td>after
 *       the 101</td><td>after the 101</td></tr>
 *   <tr><td>{@value #AGGREGATOR}</td><td>{@link MessageAggregator}: whole messages from fragments</td><td
 *       colspan="2">blocking API</td></tr>
 *   <tr><td>{@value #COMMUNICATOR}</td><td>hands messages to the connection's communicator</td><td
 *       colspan="2">blocking API</td></tr>
 * </table>
 * An application's own frame handlers go after {@value #PROTOCOL} (or after {@value #AGGREGATOR} when it wants whole
 * messages) instead of the blocking API's two.
 */
public final class WebSocketPipeline {
    /** A client's proxy handler: opens the tunnel through an HTTP or SOCKS5 proxy, then passes bytes on. */
    public static final String PROXY = "proxy";
    /** Answers a plain-text client on a TLS port with {@code 400 TLS Required}, then removes itself. */
    public static final String TLS_GUARD = "tls-guard";
    /** The {@link SslHandler}. */
    public static final String TLS = "tls";
    /** Logs a failed TLS handshake in one line and closes the connection; removes itself after the handshake. */
    public static final String TLS_FAILURE_LOG = "tls-failure-log";
    /** Netty's HTTP codec, removed once the opening handshake has no more use for it. */
    public static final String HTTP_CODEC = "http-codec";
    /** The handshake handler, which removes itself when the connection switches to frames. */
    public static final String HANDSHAKE = "ws-handshake";
    /** The application's plain HTTP handler on a server with HTTP fallback, removed by an upgrade. */
    public static final String HTTP_APPLICATION = "http";
    /** The {@link FrameDecoder}. */
    public static final String DECODER = "ws-decoder";
    /** The {@link FrameEncoder}. */
    public static final String ENCODER = "ws-encoder";
    /** The {@link PerMessageDeflateHandler}, in the extensions slot. */
    public static final String DEFLATE = "ws-deflate";
    /** The {@link ProtocolHandler}. */
    public static final String PROTOCOL = "ws-protocol";
    /** The {@link MessageAggregator} of the blocking API. */
    public static final String AGGREGATOR = "ws-aggregator";
    /** The handler that feeds the blocking API's communicator. */
    public static final String COMMUNICATOR = "ws-communicator";

    private WebSocketPipeline() {
    }

    // ---------------------------------------------------------------- server connections

    /**
     * Adds TLS to a new server connection's pipeline, before anything else: {@value #TLS_GUARD}, {@value #TLS}
     * (the {@link SslHandler}, or an SNI handler that becomes one once the client's hello names its host) and
     * {@value #TLS_FAILURE_LOG}.
     *
     * @param handshakeTimeout how long the TLS handshake may take (each of the SNI wait and the handshake proper,
     *                         with SNI); {@link Duration#ZERO} for no limit
     */
    public static void addServerTls(ChannelPipeline pipeline, TlsServerConfig tls, Duration handshakeTimeout) {
        long timeoutMillis = handshakeTimeout.toMillis();
        pipeline.addLast(TLS_GUARD, new PlaintextRejector());
        if (tls.hasHostContexts()) {
            pipeline.addLast(TLS, new SniSelector(tls::contextFor, timeoutMillis));
        } else {
            SslHandler ssl = tls.contextFor(null).newHandler(pipeline.channel().alloc());
            ssl.setHandshakeTimeoutMillis(timeoutMillis);
            pipeline.addLast(TLS, ssl);
        }
        pipeline.addLast(TLS_FAILURE_LOG, new TlsFailureLogger());
    }

    /**
     * Adds {@value #HTTP_CODEC} (an HTTP server codec whose request line and header limits are the handshake's, so
     * that an oversized request is answered with 414 or 431 instead of being buffered) and {@code handshake}, the
     * server's handshake handler, as {@value #HANDSHAKE}. With HTTP fallback, add the application's HTTP handler
     * after them with {@link #addHttpApplication}.
     *
     * @param config    the handshake limits
     * @param handshake a new {@code dev.wsnetty.netty.handshake.ServerHandshakeHandler}
     */
    public static void addServerHandshake(ChannelPipeline pipeline, WebSocketConfig config, ChannelHandler handshake) {
        pipeline.addLast(HTTP_CODEC, new HttpServerCodec(handshakeLimits(config)));
        pipeline.addLast(HANDSHAKE, handshake);
    }

    /** Adds the application's plain HTTP handler as {@value #HTTP_APPLICATION}, after the handshake handler. */
    public static void addHttpApplication(ChannelPipeline pipeline, ChannelHandler http) {
        pipeline.addLast(HTTP_APPLICATION, http);
    }

    // ---------------------------------------------------------------- client connections

    /**
     * Adds the client's proxy handler (Netty's {@code HttpProxyHandler} or {@code Socks5ProxyHandler}) as
     * {@value #PROXY}, before everything else, so that TLS and the handshake run inside the proxy's tunnel. Call it
     * before the channel connects: the handler turns the connect to the server into one to the proxy.
     */
    public static void addClientProxy(ChannelPipeline pipeline, ChannelHandler proxy) {
        pipeline.addFirst(PROXY, proxy);
    }

    /** Adds the client's {@link SslHandler} as {@value #TLS}, before anything else. */
    public static void addClientTls(ChannelPipeline pipeline, SslHandler ssl) {
        pipeline.addLast(TLS, ssl);
    }

    /**
     * Adds {@value #HTTP_CODEC} (an HTTP client codec with the handshake's response size limits) and
     * {@code handshake}, the client's handshake handler, as {@value #HANDSHAKE}.
     *
     * @param config    the handshake limits
     * @param handshake a new {@code dev.wsnetty.netty.client.ClientHandshakeHandler}
     */
    public static void addClientHandshake(ChannelPipeline pipeline, WebSocketConfig config, ChannelHandler handshake) {
        pipeline.addLast(HTTP_CODEC, new HttpClientCodec(handshakeLimits(config), false, false));
        pipeline.addLast(HANDSHAKE, handshake);
    }

    // ---------------------------------------------------------------- switching to frames

    /**
     * Removes the HTTP/1 handlers in front of {@code handshake} (our codec, or the application's own codecs when
     * our handshake handler sits in its pipeline): they have no business on a WebSocket connection, and bytes read
     * after the handshake request must reach the handshake handler as bytes. Removing a decoder hands its unread
     * input on to the handlers after it.
     */
    public static void removeHttpHandlers(ChannelHandlerContext handshake) {
        List<ChannelHandler> http = new ArrayList<>(2);
        for (Map.Entry<String, ChannelHandler> entry : handshake.pipeline()) {
            ChannelHandler handler = entry.getValue();
            if (handler == handshake.handler()) {
                break;
            }
            if (isHttpHandler(handler)) {
                http.add(handler);
            }
        }
        for (ChannelHandler handler : http) {
            removeIfPresent(handshake.pipeline(), handler);
        }
    }

    /**
     * Removes every handler after {@code handshake}: on a server with HTTP fallback they are the HTTP application,
     * which must not see frames.
     */
    public static void removeHandlersAfter(ChannelHandlerContext handshake) {
        List<ChannelHandler> after = new ArrayList<>(2);
        boolean seen = false;
        for (Map.Entry<String, ChannelHandler> entry : handshake.pipeline()) {
            if (seen) {
                after.add(entry.getValue());
            } else {
                seen = entry.getValue() == handshake.handler();
            }
        }
        for (ChannelHandler handler : after) {
            removeIfPresent(handshake.pipeline(), handler);
        }
    }

    /** Adds {@value #DECODER}, {@value #ENCODER} and {@value #PROTOCOL}, in that order, right after {@code handshake}. */
    public static void addFrameHandlers(ChannelHandlerContext handshake, WebSocketConfig config, Role role) {
        ChannelPipeline pipeline = handshake.pipeline();
        pipeline.addAfter(handshake.name(), DECODER, new FrameDecoder(config, role));
        pipeline.addAfter(DECODER, ENCODER, FrameEncoder.of(role));
        pipeline.addAfter(ENCODER, PROTOCOL, new ProtocolHandler(config, role));
    }

    /**
     * Adds {@value #DECODER}, {@value #ENCODER} and {@value #PROTOCOL} at the end of a pipeline whose connection
     * speaks WebSocket from its first byte (a connection upgraded elsewhere, a test, a benchmark).
     */
    public static void addFrameHandlers(ChannelPipeline pipeline, WebSocketConfig config, Role role) {
        pipeline.addLast(DECODER, new FrameDecoder(config, role));
        pipeline.addLast(ENCODER, FrameEncoder.of(role));
        pipeline.addLast(PROTOCOL, new ProtocolHandler(config, role));
    }

    /**
     * Adds permessage-deflate as {@value #DEFLATE} right after {@value #ENCODER}, in the extensions slot, once the
     * handshake agreed it: the peer's compressed messages are inflated before {@value #PROTOCOL} sees them, and data
     * messages written are compressed before the encoder (see {@link PerMessageDeflateHandler}). The frame handlers
     * must be in the pipeline already; call it before any frame is decoded (in the switch to frames, before the
     * held bytes go to the decoder).
     *
     * @param agreed the parameters both ends agreed
     * @param config the compression level, threshold, idle release and the message size limit (which applies to
     *               the inflated size)
     * @param role   which end this is
     */
    public static void addDeflate(ChannelPipeline pipeline, DeflateParameters agreed, WebSocketConfig config,
            Role role) {
        pipeline.addAfter(ENCODER, DEFLATE, new PerMessageDeflateHandler(agreed, config, role));
    }

    /**
     * Makes {@code budget} the inbound memory budget of the pipeline's connection: the frame decoder added later
     * opens the connection's account in it, and the blocking API's queue counts in the same account. Call it when
     * the channel is initialized, before the upgrade, with one budget shared by all connections to protect
     * together. Without it, a connection counts in {@link InboundMemoryBudget#shared()}.
     *
     * @param pipeline a new connection's pipeline
     * @param budget   the budget, shared with other connections
     */
    public static void useInboundMemoryBudget(ChannelPipeline pipeline, InboundMemoryBudget budget) {
        pipeline.channel().attr(InboundBudgets.BUDGET).set(Objects.requireNonNull(budget, "budget"));
    }

    // ---------------------------------------------------------------- the blocking API

    /**
     * Adds {@value #AGGREGATOR} and {@code communicator} as {@value #COMMUNICATOR} at the end of an upgraded
     * pipeline.
     */
    public static void addCommunicator(ChannelPipeline pipeline, ChannelHandler communicator) {
        pipeline.addLast(AGGREGATOR, new MessageAggregator());
        pipeline.addLast(COMMUNICATOR, communicator);
    }

    // ---------------------------------------------------------------- helpers

    private static HttpDecoderConfig handshakeLimits(WebSocketConfig config) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxHandshakeLineLength())
                .setMaxHeaderSize(config.maxHandshakeHeaderSize());
    }

    private static boolean isHttpHandler(ChannelHandler h) {
        return h instanceof HttpServerCodec || h instanceof HttpClientCodec || h instanceof HttpRequestDecoder
                || h instanceof HttpResponseEncoder || h instanceof HttpObjectAggregator
                || h instanceof HttpContentEncoder || h instanceof HttpContentDecoder
                || h instanceof HttpServerKeepAliveHandler || h instanceof HttpServerExpectContinueHandler;
    }

    private static void removeIfPresent(ChannelPipeline pipeline, ChannelHandler handler) {
        if (pipeline.context(handler) != null) {
            pipeline.remove(handler);
        }
    }
}
