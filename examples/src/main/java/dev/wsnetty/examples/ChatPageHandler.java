package dev.wsnetty.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves the browser chat page ({@code chatClient.html}) over plain HTTP on the WebSocket port. The example
 * servers install it as the server's HTTP handler, so it sits after the HTTP codec and the upgrade handler and
 * receives only requests that are not WebSocket handshakes, as a request head followed by its content.
 *
 * <p>{@code GET} and {@code HEAD} of {@code /} and {@code /chatClient.html} (query ignored) get the page with
 * {@code Content-Type} and {@code Content-Length}; {@code /stats}, when the handler was given the server's figures,
 * gets them as JSON ({@link StatsJson}); any other path gets 404 and any other method 405. Every answer
 * is complete and follows the request's keep-alive wish; a request that could not be decoded gets 400 and the
 * connection is closed. One instance per connection (it remembers the request whose content is arriving).
 */
public final class ChatPageHandler extends ChannelInboundHandlerAdapter {
    /** Where the page lives on the class path. */
    static final String PAGE_RESOURCE = "/dev/wsnetty/examples/chatClient.html";

    private static final byte[] PAGE = loadPage();

    /** The request whose content is still arriving; null between requests. */
    private HttpRequest request;
    /** The {@code /stats} page, made per request; null when the handler serves no figures. */
    private final Supplier<String> statsJson;

    /** A handler for one connection, without a {@code /stats} page. */
    public ChatPageHandler() {
        this(null);
    }

    /**
     * A handler for one connection that serves {@code statsJson}'s JSON at {@code /stats}.
     *
     * @param statsJson the figures, read at each request; null for no {@code /stats} page
     */
    public ChatPageHandler(Supplier<String> statsJson) {
        this.statsJson = statsJson;
    }

    /** The page's bytes, as served. */
    static byte[] page() {
        return PAGE.clone();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                request = (HttpRequest) msg;
            }
            if (msg instanceof HttpContent && ((HttpContent) msg).decoderResult().isFailure()) {
                HttpVersion version = request == null ? HttpVersion.HTTP_1_1 : request.protocolVersion();
                respond(ctx, request, error(version, HttpResponseStatus.BAD_REQUEST, "Bad request"), false);
                request = null;
            } else if (msg instanceof LastHttpContent && request != null) {
                // The body, if any, is discarded: only its end matters, so that the answer follows the whole request.
                HttpRequest complete = request;
                request = null;
                respond(ctx, complete, answer(complete), HttpUtil.isKeepAlive(complete));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Only plain HTTP reaches this handler; a broken connection there is the browser's business, not a server error.
        ctx.close();
    }

    private FullHttpResponse answer(HttpRequest request) {
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            FullHttpResponse response = error(request.protocolVersion(), HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "Method not allowed: " + method);
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return response;
        }
        String path = pathOf(request.uri());
        if (path.equals("/stats") && statsJson != null) {
            return stats(request.protocolVersion(), statsJson.get());
        }
        if (!path.equals("/") && !path.equals("/chatClient.html")) {
            return error(request.protocolVersion(), HttpResponseStatus.NOT_FOUND, "Not found: " + path);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                HttpMethod.HEAD.equals(method) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(PAGE));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, PAGE.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        return response;
    }

    /** The path of a request target: the query and fragment cut off; an absolute URI reduced to its path. */
    static String pathOf(String uri) {
        String path = uri;
        int scheme = path.indexOf("://");
        if (scheme >= 0) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int end = path.length();
        int query = path.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return path.substring(0, end);
    }

    /** The figures as JSON, never cached: they are live. */
    private static FullHttpResponse stats(HttpVersion version, String json) {
        ByteBuf body = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.OK, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        return response;
    }

    /** A short plain-text answer, in the request's HTTP version so that keep-alive is spelled as the client expects. */
    private static FullHttpResponse error(HttpVersion version, HttpResponseStatus status, String text) {
        ByteBuf body = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    private static void respond(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response,
                                boolean keepAlive) {
        if (request != null && HttpMethod.HEAD.equals(request.method())) {
            response.content().clear();
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] loadPage() {
        try (InputStream in = ChatPageHandler.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the chat page " + PAGE_RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chat page " + PAGE_RESOURCE, e);
        }
    }
}
