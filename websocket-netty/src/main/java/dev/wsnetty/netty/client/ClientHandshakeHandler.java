package dev.wsnetty.netty.client;

import dev.wsnetty.HeaderField;
import dev.wsnetty.HeaderFields;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.deflate.ClientDeflateOffer;
import dev.wsnetty.netty.deflate.DeflateAgreement;
import dev.wsnetty.netty.deflate.DeflateParameters;
import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.netty.internal.Durations;
import dev.wsnetty.netty.internal.tls.TlsFailures;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.stats.ConnectionTelemetry;
import dev.wsnetty.netty.stats.StatisticsSnapshot;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client side of the opening handshake (RFC 6455 §4.1) on one connection. It sits after an HTTP client codec
 * ({@link WebSocketPipeline#addClientHandshake} adds both); once the channel is active it sends the upgrade request
 * and waits for the answer, at most {@code config.handshakeTimeout()} (for wss that time includes the TLS
 * handshake).
 *
 * <ul>
 *   <li>A valid 101: installs the frame handlers after itself ({@link WebSocketPipeline#addFrameHandlers}) and,
 *       when the server accepted the permessage-deflate offer ({@link ClientDeflateOffer}, made when the config's
 *       compression is not off), the deflate handler, which holds the agreement ({@link DeflateAgreement}); lets
 *       {@code onOpen} add the application's handlers, removes the codec and itself, then completes the
 *       future with a successful result. Bytes the server sent right behind the 101 (its first frames) are
 *       then passed to the frame decoder, after the future completed, so no frame reaches the pipeline's
 *       end before the application's handlers are in place.</li>
 *   <li>Any other status, or a 101 that breaks the RFC (an extension answer that breaks RFC 7692 or was not
 *       offered included): completes the future with a refused result
 *       (status, headers, body of at most {@value #MAX_BODY_BYTES} bytes, reason), then closes. So does
 *       an answer the server cuts short by closing after its status line: the result holds what arrived
 *       (headers and body so far) and the reason says it was cut short.</li>
 *   <li>No answer in time, the connection closed before a whole status line arrived, a non-HTTP answer,
 *       or a TLS failure: completes the future exceptionally with a {@link WebSocketHandshakeException}
 *       (a {@link WebSocketHandshakeTimeoutException} for the timeout, the TLS handshake's included), then
 *       closes. A TLS failure's message says what went wrong when it is recognised: an untrusted
 *       certificate, one for another host name, a server that does not speak TLS.</li>
 * </ul>
 * Interim 1xx responses (100 Continue, 103 Early Hints) are skipped.
 */
public final class ClientHandshakeHandler extends ChannelInboundHandlerAdapter {
    /** The most body bytes kept from a refusal; the rest is not waited for. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private enum State {
        /** Request sent (or about to be); no final response head yet. */
        AWAITING_RESPONSE,
        /** A valid 101 head arrived; its (empty) end follows in the same read. */
        UPGRADE_PENDING,
        /** A refusal's head arrived; collecting its body. */
        READING_REFUSAL,
        /** Replacing the HTTP handlers; bytes arriving now are the server's first frames. */
        SWITCHING,
        /** The future is complete. */
        DONE
    }

    private final ClientHandshakeRequest request;
    private final CompletableFuture<ClientHandshakeResult> result;
    private final Consumer<ChannelPipeline> onOpen;
    private final String key = HandshakeRequests.newKey();
    private final ClientDeflateOffer deflateOffer;

    private State state = State.AWAITING_RESPONSE;
    private boolean started;
    private ScheduledFuture<?> timeout;
    private HttpResponse response;
    private ByteArrayOutputStream body;
    private ByteBuf leftover;

    /**
     * A handler for one connection.
     *
     * @param request   what to ask for
     * @param result    completed with the outcome, as described in the class comment
     * @param onOpen    called on the event loop once the frame handlers are installed and before any frame
     *                  is decoded: add the application's handlers after {@link WebSocketPipeline#PROTOCOL} here
     */
    public ClientHandshakeHandler(ClientHandshakeRequest request, CompletableFuture<ClientHandshakeResult> result,
                                  Consumer<ChannelPipeline> onOpen) {
        this.request = Objects.requireNonNull(request, "request");
        this.result = Objects.requireNonNull(result, "result");
        this.onOpen = Objects.requireNonNull(onOpen, "onOpen");
        this.deflateOffer = ClientDeflateOffer.of(request.config().compression());
    }

    /**
     * The subprotocol the server agreed to, or null when none: for the {@code onOpen} hook, which runs while
     * this handler is still in the pipeline ({@code pipeline.get(ClientHandshakeHandler.class)}).
     *
     * @throws IllegalStateException before the server's upgrade response was read
     */
    public String selectedSubprotocol() {
        if (response == null) {
            throw new IllegalStateException("the server's upgrade response has not been read yet");
        }
        return HandshakeResponseValidator.selectedSubprotocol(response);
    }

    /** The {@code Sec-WebSocket-Key} this connection sends. */
    public String key() {
        return key;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        Duration limit = request.config().handshakeTimeout();
        if (!limit.isZero()) {
            timeout = ctx.executor().schedule(() -> onTimeout(ctx, limit), limit.toNanos(), TimeUnit.NANOSECONDS);
        }
        ctx.writeAndFlush(HandshakeRequests.create(request, key, deflateOffer)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, new WebSocketHandshakeException("could not send the handshake request to "
                        + request.hostAndPort() + ": " + f.cause(), f.cause()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.SWITCHING && msg instanceof ByteBuf) {
            // The HTTP decoder hands over what followed the 101; keep it until the future is complete.
            ByteBuf bytes = (ByteBuf) msg;
            leftover = leftover == null ? bytes : ctx.alloc().compositeBuffer().addComponents(true, leftover, bytes);
            return;
        }
        try {
            if (state != State.DONE && state != State.SWITCHING) {
                onHttpObject(ctx, msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHttpObject(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse) {
            HttpResponse head = (HttpResponse) msg;
            if (head.decoderResult().isFailure()) {
                Throwable cause = head.decoderResult().cause();
                if (cause instanceof PrematureChannelClosureException && state == State.AWAITING_RESPONSE) {
                    // The status line arrived, so the server did answer: report what it sent as a refusal.
                    response = head;
                    refuse(ctx, "server answered " + head.status().code() + " " + head.status().reasonPhrase()
                            + " but closed the connection before the end of the response headers", "");
                    return;
                }
                fail(ctx, new WebSocketHandshakeException("invalid handshake response from " + request.hostAndPort()
                        + ": " + cause.getMessage(), cause));
                return;
            }
            if (state == State.AWAITING_RESPONSE) {
                onResponseHead(ctx, head);
            }
        }
        if (msg instanceof HttpContent) {
            if (state == State.READING_REFUSAL) {
                appendBody(ctx, ((HttpContent) msg).content());
            }
            if (msg instanceof LastHttpContent) {
                if (state == State.UPGRADE_PENDING) {
                    switchToWebSocket(ctx);
                } else if (state == State.READING_REFUSAL) {
                    finishRefusal(ctx);
                }
            }
        }
    }

    private void onResponseHead(ChannelHandlerContext ctx, HttpResponse head) {
        int code = head.status().code();
        if (code >= 100 && code < 200 && code != 101) {
            return; // interim response: the final one follows
        }
        response = head;
        if (code == 101) {
            String problem = problemOf(head);
            if (problem == null) {
                state = State.UPGRADE_PENDING;
            } else {
                // The decoder treats what follows a 101 as another protocol, so there is no body to wait for.
                refuse(ctx, problem, "");
            }
        } else {
            state = State.READING_REFUSAL;
            body = new ByteArrayOutputStream();
        }
    }

    private void appendBody(ChannelHandlerContext ctx, ByteBuf content) {
        int room = MAX_BODY_BYTES - body.size();
        int n = Math.min(room, content.readableBytes());
        body.write(ByteBufUtil.getBytes(content, content.readerIndex(), n, false), 0, n);
        if (content.readableBytes() > room) {
            finishRefusal(ctx);
        }
    }

    private void finishRefusal(ChannelHandlerContext ctx) {
        refuse(ctx, problemOf(response), bodyText());
    }

    private String problemOf(HttpResponse response) {
        return HandshakeResponseValidator.findProblem(response, AcceptKey.of(key), request.subprotocols(), deflateOffer);
    }

    private String bodyText() {
        return new String(body.toByteArray(), HttpUtil.getCharset(response, StandardCharsets.UTF_8));
    }

    private void refuse(ChannelHandlerContext ctx, String reason, String text) {
        state = State.DONE;
        ConnectionTelemetry.handshakeFailed(WebSocketStatistics.of(ctx.channel()), ctx.channel(), false,
                response.status().code(), reason);
        result.complete(ClientHandshakeResult.refused(response.status().code(), response.status().reasonPhrase(),
                headersOf(response), text, reason));
        ctx.close();
    }

    private void switchToWebSocket(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        WebSocketPipeline.addFrameHandlers(ctx, request.config(), Role.CLIENT);
        Optional<DeflateParameters> deflate = HandshakeResponseValidator.agreedDeflate(response, deflateOffer);
        if (deflate.isPresent()) {
            WebSocketPipeline.addDeflate(pipeline, deflate.get(), request.config(), Role.CLIENT);
        }
        onOpen.accept(pipeline);
        state = State.SWITCHING;
        // Removing the codec flushes its unread input (bytes after the 101) into channelRead above.
        WebSocketPipeline.removeHttpHandlers(ctx);
        pipeline.remove(this);
        state = State.DONE;
        // Counted once the switch is done: a deflate answer or an onOpen that throws fails the handshake instead.
        ConnectionTelemetry.handshakeAccepted(WebSocketStatistics.of(ctx.channel()));
        result.complete(ClientHandshakeResult.succeeded(response.status().code(), response.status().reasonPhrase(),
                headersOf(response), HandshakeResponseValidator.selectedSubprotocol(response)));
        ByteBuf first = leftover;
        leftover = null;
        if (first != null) {
            // This context is already unlinked but still points at the frame decoder, like a removed
            // ByteToMessageDecoder handing on its buffer.
            ctx.fireChannelRead(first);
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // While switching, the read-complete belongs to the held bytes and is fired with them.
        if (state != State.SWITCHING) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.READING_REFUSAL) {
            // A body delimited by the connection's end was completed by the decoder before this; any other
            // body was cut short: the answer is known, so it is still a refusal, with the part received.
            refuse(ctx, problemOf(response)
                    + " (the server closed the connection before the end of the body)", bodyText());
        }
        fail(ctx, new WebSocketHandshakeException("server " + request.hostAndPort()
                + " closed the connection during the handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) evt).isSuccess()) {
            Throwable cause = ((SslHandshakeCompletionEvent) evt).cause();
            if (TlsFailures.isTimeout(cause)) {
                fail(ctx, tlsTimeout());
            } else {
                fail(ctx, new WebSocketHandshakeException("TLS handshake with " + request.hostAndPort() + " failed: "
                        + TlsFailures.describeForClient(cause), cause));
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Before the upgrade every error ends the handshake; after a refusal or failure, errors of the
        // closing connection say nothing new.
        fail(ctx, new WebSocketHandshakeException("handshake with " + request.hostAndPort() + " failed: " + cause,
                cause));
    }

    private void onTimeout(ChannelHandlerContext ctx, Duration limit) {
        if (state == State.READING_REFUSAL) {
            finishRefusal(ctx); // the answer is known; a body that trickles in is cut short
        } else if (tlsPending(ctx)) {
            fail(ctx, tlsTimeout());
        } else {
            fail(ctx, new WebSocketHandshakeTimeoutException("no handshake response from " + request.hostAndPort()
                    + " within " + Durations.describe(limit)));
        }
    }

    private void fail(ChannelHandlerContext ctx, WebSocketHandshakeException e) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        ConnectionTelemetry.handshakeFailed(WebSocketStatistics.of(ctx.channel()), ctx.channel(), false,
                StatisticsSnapshot.NO_RESPONSE, e.getMessage());
        if (leftover != null) {
            leftover.release();
            leftover = null;
        }
        result.completeExceptionally(e);
        ctx.close();
    }

    private static HeaderFields headersOf(HttpResponse response) {
        List<HeaderField> fields = new ArrayList<>(response.headers().size());
        for (Iterator<Map.Entry<String, String>> it = response.headers().iteratorAsString(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            fields.add(new HeaderField(e.getKey(), e.getValue()));
        }
        return HeaderFields.of(fields);
    }

    private WebSocketHandshakeTimeoutException tlsTimeout() {
        return new WebSocketHandshakeTimeoutException("TLS handshake with " + request.hostAndPort()
                + " did not complete within " + Durations.describe(request.config().handshakeTimeout()));
    }

    private static boolean tlsPending(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return ssl != null && !ssl.handshakeFuture().isDone();
    }
}
