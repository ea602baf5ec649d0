package dev.wsnetty.netty.protocol;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.codec.WebSocketProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket protocol state of one connection (RFC 6455 §5.5 and §7): the closing handshake, ping/pong,
 * and the close, idle and keep-alive timeouts. It sits after the frame decoder and encoder and before the
 * user's handler, and it is the single owner of "a Close frame was sent": every path that ends the
 * connection goes through it, so exactly one Close frame is ever sent.
 *
 * <p>Closing:
 * <ul>
 *   <li>A received Close frame is passed on to the next handler (which owns it then); afterwards nothing
 *       more is passed on. If no Close was sent yet, it is answered with a Close echoing the received code
 *       (an empty Close when it had none), unless the next handler wrote its own Close while handling it.
 *       A server then closes TCP as soon as its Close is written; a client waits for the server to close
 *       TCP and closes it itself after {@link WebSocketConfig#closeTimeout()}.</li>
 *   <li>A {@link WebSocketProtocolException} from the decoder fails the connection: Close with its code and
 *       reason (if none was sent yet), then TCP close once that is written. It is not passed on. An
 *       {@link IOException} closes TCP without a Close frame; any other exception fails the connection
 *       with 1011. Both are passed on to {@code exceptionCaught} of the next handler.</li>
 *   <li>A Close frame written by the user is sent (and flushed at once); the connection then waits for the
 *       peer's Close for at most {@code closeTimeout} before closing TCP. Data frames arriving meanwhile are
 *       still passed on. A second Close written later is released and its promise succeeds without
 *       anything being sent (the connection is already closing, which is what the caller asked for). A
 *       data, ping or pong frame written after the Close is released and its promise fails with
 *       {@link CloseHandshakeStartedException}. A malformed Close frame (1-byte or over-125-byte payload,
 *       a code that may not be sent) fails with {@link IllegalArgumentException} and changes nothing.</li>
 *   <li>{@code channel.close()} sends Close 1000 (the echo, if the peer's Close was received) when no Close
 *       was sent yet, and closes TCP once the Close frame is written.</li>
 * </ul>
 *
 * <p>Ping and pong: a ping is answered with a pong of the same payload (no copy), written without a flush;
 * the flush comes once per read batch in {@code channelReadComplete}. While the channel is not writable
 * only the latest ping is remembered and answered when it becomes writable again. Pings are consumed;
 * pongs are passed on. No pong is sent once a Close was sent or received.
 *
 * <p>Timeouts, scheduled on the channel's event loop with one self-rescheduling task (nothing is scheduled
 * per frame): when nothing was received for {@link WebSocketConfig#idleTimeout()}, the connection is closed
 * with 1001 "idle timeout"; when nothing was received for {@link WebSocketConfig#pingInterval()}, a ping
 * with an 8-byte payload is sent, and if nothing (normally its pong; any received bytes count, since a
 * peer in the middle of a large frame cannot send a pong) arrives within
 * {@link WebSocketConfig#pongTimeout()}, the connection is failed with 1011 "keepalive ping timeout".
 *
 * <p>When the channel becomes inactive, a {@link WebSocketCloseEvent} is fired exactly once as a user
 * event, before {@code channelInactive} is passed on.
 *
 * <p>One instance per connection; all methods run on the channel's event loop.
 */
public final class ProtocolHandler extends ChannelDuplexHandler {
    // Bits of 'state': one int instead of a boolean per fact keeps the per-connection footprint small.
    private static final int CLOSE_SENT = 1;
    private static final int CLOSE_RECEIVED = 1 << 1;
    /** Our Close frame reached the transport (needed for "clean"). */
    private static final int CLOSE_WRITTEN = 1 << 2;
    /** The peer's Close arrived before we had sent one. */
    private static final int REMOTE_STARTED = 1 << 3;
    private static final int EVENT_FIRED = 1 << 4;
    /** Idle timeout or keep-alive is configured. */
    private static final int LIVENESS_ENABLED = 1 << 5;
    private static final int LIVENESS_STARTED = 1 << 6;
    private static final int AWAITING_PONG = 1 << 7;
    /** A pong was written and waits for the flush at the end of the read batch. */
    private static final int FLUSH_NEEDED = 1 << 8;

    private final WebSocketConfig config;
    private final boolean server;
    private ChannelHandlerContext ctx;
    private int state;
    /** Code and reason for the {@link WebSocketCloseEvent}: the peer's if received, else the one we sent. */
    private int closeCode;
    private String closeReason;
    /** The write of our Close frame; TCP is closed only once it is done. */
    private ChannelFuture closeWrite;
    /** The liveness timer before our Close is sent, the close timer after. */
    private ScheduledFuture<?> timer;
    /** Payload of the latest ping not yet answered because the channel was not writable. */
    private ByteBuf pendingPing;
    private long lastReadNanos;
    private long pingSentNanos;

    /**
     * Creates a protocol handler for one connection.
     *
     * @param config the timeouts to apply
     * @param role whether this end is the server (closes TCP first) or the client (waits for the server)
     */
    public ProtocolHandler(WebSocketConfig config, Role role) {
        this.config = Objects.requireNonNull(config, "config");
        this.server = Objects.requireNonNull(role, "role") == Role.SERVER;
        if (!config.idleTimeout().isZero() || !config.pingInterval().isZero()) {
            state = LIVENESS_ENABLED;
        }
    }

    /** Remembers the context and starts the timers when the channel is already active (added after the upgrade). */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            startLivenessTimer();
        }
    }

    /** Cancels the timers and releases a pending ping. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        releasePendingPing();
    }

    /** Starts the timers. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startLivenessTimer();
        ctx.fireChannelActive();
    }

    /** Cancels the timers and fires the {@link WebSocketCloseEvent} (once), then passes the event on. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        releasePendingPing();
        if (!has(EVENT_FIRED)) {
            state |= EVENT_FIRED;
            ctx.fireUserEventTriggered(closeEvent());
        }
        ctx.fireChannelInactive();
    }

    /** Answers pings, handles Close frames and passes data frames and pongs on. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        if (has(CLOSE_RECEIVED)) {
            // RFC 6455 §5.5.1: nothing may follow the peer's Close; the decoder should not emit any.
            frame.release();
            return;
        }
        switch (frame.opcode()) {
            case WebSocketProtocol.OPCODE_PING:
                onPing(frame);
                break;
            case WebSocketProtocol.OPCODE_CLOSE:
                onClose(frame);
                break;
            default:
                ctx.fireChannelRead(frame);
        }
    }

    /** Records the read time for the timeouts and flushes the pongs of this read batch. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (has(LIVENESS_ENABLED)) {
            // Once per read batch rather than per frame: the timers need no finer resolution.
            lastReadNanos = now();
        }
        if (has(FLUSH_NEEDED)) {
            state &= ~FLUSH_NEEDED;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    /** Answers the ping remembered while the channel was not writable. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (pendingPing != null && ctx.channel().isWritable()) {
            ByteBuf payload = pendingPing;
            pendingPing = null;
            ctx.writeAndFlush(WebSocketFrame.pong(payload), ctx.voidPromise());
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Turns protocol violations into the connection's Close frame; see the class comment. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A decoder built on ByteToMessageDecoder would deliver a thrown violation wrapped.
        Throwable violation = cause instanceof DecoderException ? cause.getCause() : cause;
        if (violation instanceof WebSocketProtocolException) {
            WebSocketProtocolException e = (WebSocketProtocolException) violation;
            int code = CloseCodes.isValidOnWire(e.closeCode()) ? e.closeCode() : CloseCodes.PROTOCOL_ERROR;
            failConnection(code, e.getMessage());
            return;
        }
        if (cause instanceof IOException) {
            // The transport is broken (reset, ...); a Close frame could not get through. A refused write
            // after Close (reported here for void promises) is not a transport failure, though.
            if (!(cause instanceof CloseHandshakeStartedException)) {
                ctx.close();
            }
        } else {
            failConnection(CloseCodes.INTERNAL_ERROR, "internal error");
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Tracks the Close frame the user writes and refuses frames written after it; see the class comment. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof WebSocketFrame) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (has(CLOSE_SENT)) {
                int opcode = frame.opcode();
                frame.release();
                if (opcode == WebSocketProtocol.OPCODE_CLOSE) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(new CloseHandshakeStartedException(opcode));
                }
                return;
            }
            if (frame.isClose()) {
                String problem = closeFrameProblem(frame);
                if (problem != null) {
                    frame.release();
                    promise.tryFailure(new IllegalArgumentException(problem));
                    return;
                }
                sendClose(frame, frame.closeCode(), frame.closeReason(), promise);
                return;
            }
        }
        ctx.write(msg, promise);
    }

    /**
     * Sends Close 1000 (or the echo of the peer's Close) when no Close was sent yet, then closes TCP once
     * that frame is written.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!has(CLOSE_SENT) && ctx.channel().isActive()) {
            if (has(CLOSE_RECEIVED)) {
                sendEcho();
            } else {
                sendClose(WebSocketFrame.close(CloseCodes.NORMAL_CLOSURE, ""), CloseCodes.NORMAL_CLOSURE, "",
                        ctx.newPromise());
            }
        }
        closeTcp(promise);
    }

    private void onPing(WebSocketFrame ping) {
        if (has(CLOSE_SENT)) {
            ping.release();
            return;
        }
        // A newer ping supersedes an unanswered one (RFC 6455 §5.5.3 allows answering only the latest).
        releasePendingPing();
        if (ctx.channel().isWritable()) {
            // The pong takes over the ping's payload buffer: no copy, no extra reference.
            ctx.write(WebSocketFrame.pong(ping.content()), ctx.voidPromise());
            state |= FLUSH_NEEDED;
        } else {
            pendingPing = ping.content();
        }
    }

    private void onClose(WebSocketFrame close) {
        // Read what we need before the next handler takes (and may release) the frame.
        closeCode = close.closeCode();
        closeReason = close.closeReason();
        state |= CLOSE_RECEIVED;
        if (!has(CLOSE_SENT)) {
            state |= REMOTE_STARTED;
        }
        releasePendingPing();
        // Passed on before replying so the next handler may write its own Close reply instead of the echo.
        ctx.fireChannelRead(close);
        if (!has(CLOSE_SENT)) {
            sendEcho();
        }
        if (server) {
            closeTcp(ctx.newPromise());
        }
        // A client waits for the server to close TCP; the close timer started by sendClose bounds the wait.
    }

    private void sendEcho() {
        int code = closeCode;
        WebSocketFrame reply = CloseCodes.isValidOnWire(code) ? WebSocketFrame.close(code, "")
                : WebSocketFrame.emptyClose();
        sendClose(reply, code, "", ctx.newPromise());
    }

    /** "Fail the WebSocket connection" (RFC 6455 §7.1.7): our Close if none was sent yet, then TCP close. */
    private void failConnection(int code, String reason) {
        if (!has(CLOSE_SENT)) {
            // The reason fits: every reason given to this method follows WebSocketProtocol's close reason rule.
            sendClose(WebSocketFrame.close(code, reason), code, reason, ctx.newPromise());
        }
        closeTcp(ctx.newPromise());
    }

    /** The one place that sends a Close frame. */
    private void sendClose(WebSocketFrame frame, int code, String reason, ChannelPromise promise) {
        state |= CLOSE_SENT;
        if (!has(CLOSE_RECEIVED)) {
            closeCode = code;
            closeReason = reason;
        }
        releasePendingPing();
        cancelTimer();
        timer = ctx.executor().schedule(this::onCloseTimeout, config.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        // Flushed at once: TCP may be closed right after it, and a close drops unflushed writes.
        ChannelFuture write = ctx.writeAndFlush(frame, promise.unvoid());
        closeWrite = write;
        write.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                state |= CLOSE_WRITTEN;
            }
        });
    }

    /** Closes TCP once our Close frame (if any) is written, so the close cannot drop it. */
    private void closeTcp(ChannelPromise promise) {
        ChannelFuture write = closeWrite;
        if (write == null || write.isDone()) {
            ctx.close(promise);
        } else {
            write.addListener((ChannelFutureListener) f -> ctx.close(promise));
        }
    }

    private void onCloseTimeout() {
        timer = null;
        ctx.close();
    }

    private void startLivenessTimer() {
        if (!has(LIVENESS_ENABLED) || has(LIVENESS_STARTED) || has(CLOSE_SENT)) {
            return;
        }
        state |= LIVENESS_STARTED;
        lastReadNanos = now();
        long idle = config.idleTimeout().toNanos();
        long interval = config.pingInterval().toNanos();
        long delay = idle == 0 ? interval : interval == 0 ? idle : Math.min(idle, interval);
        scheduleLiveness(delay);
    }

    private void scheduleLiveness(long delayNanos) {
        timer = ctx.executor().schedule(this::onLivenessTimer, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Checks the idle and keep-alive deadlines, acts on the ones that passed and reschedules for the next. */
    private void onLivenessTimer() {
        timer = null;
        if (has(CLOSE_SENT) || !ctx.channel().isActive()) {
            return;
        }
        long now = now();
        long sinceRead = now - lastReadNanos;
        long next = Long.MAX_VALUE;
        long idle = config.idleTimeout().toNanos();
        if (idle != 0) {
            if (sinceRead >= idle) {
                String reason = "idle timeout";
                sendClose(WebSocketFrame.close(CloseCodes.GOING_AWAY, reason), CloseCodes.GOING_AWAY, reason,
                        ctx.newPromise());
                return;
            }
            next = idle - sinceRead;
        }
        long interval = config.pingInterval().toNanos();
        if (interval != 0) {
            if (has(AWAITING_PONG) && lastReadNanos - pingSentNanos > 0) {
                state &= ~AWAITING_PONG;
            }
            long pongTimeout = config.pongTimeout().toNanos();
            if (has(AWAITING_PONG)) {
                long left = pongTimeout - (now - pingSentNanos);
                if (left <= 0) {
                    failConnection(CloseCodes.INTERNAL_ERROR, "keepalive ping timeout");
                    return;
                }
                next = Math.min(next, left);
            } else if (sinceRead >= interval) {
                ByteBuf payload = ctx.alloc().buffer(8).writeLong(now);
                ctx.writeAndFlush(WebSocketFrame.ping(payload), ctx.voidPromise());
                pingSentNanos = now;
                state |= AWAITING_PONG;
                next = Math.min(next, pongTimeout);
            } else {
                next = Math.min(next, interval - sinceRead);
            }
        }
        scheduleLiveness(next);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void releasePendingPing() {
        if (pendingPing != null) {
            pendingPing.release();
            pendingPing = null;
        }
    }

    private WebSocketCloseEvent closeEvent() {
        if (has(CLOSE_RECEIVED)) {
            return new WebSocketCloseEvent(closeCode, closeReason, has(REMOTE_STARTED), has(CLOSE_WRITTEN));
        }
        if (has(CLOSE_SENT)) {
            return new WebSocketCloseEvent(closeCode, closeReason, false, false);
        }
        return WebSocketCloseEvent.CONNECTION_LOST;
    }

    private long now() {
        // The executor's ticker rather than System.nanoTime(), so that tests can move time forward.
        return ctx.executor().ticker().nanoTime();
    }

    private boolean has(int bit) {
        return (state & bit) != 0;
    }

    /** Why a Close frame written by the user may not be sent, or null when it may. */
    private static String closeFrameProblem(WebSocketFrame close) {
        int length = close.content().readableBytes();
        if (length == 1 || length > WebSocketProtocol.MAX_CONTROL_PAYLOAD) {
            return "a Close frame payload must be empty or 2 to " + WebSocketProtocol.MAX_CONTROL_PAYLOAD
                    + " bytes, was " + length;
        }
        if (length >= 2 && !CloseCodes.isValidOnWire(close.closeCode())) {
            return "close code " + close.closeCode() + " may not be sent";
        }
        return null;
    }
}
