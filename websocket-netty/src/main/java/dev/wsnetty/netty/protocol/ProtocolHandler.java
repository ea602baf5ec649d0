package dev.wsnetty.netty.protocol;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.EncodedFrame;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.codec.WebSocketProtocolException;
import dev.wsnetty.netty.protocol.CloseHandshake.Decision;
import dev.wsnetty.netty.stats.ConnectionTelemetry;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
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
 *       reason (if none was sent yet), then TCP close once that is written. The Close waits until the handlers
 *       behind that hold the {@link FailureComingEvent} have taken the messages that arrived before the violation,
 *       at most {@link WebSocketConfig#failureDrainTimeout()} (a Close the application writes meanwhile, or
 *       {@code channel.close()}, sends it at once instead). A server whose peer has not sent
 *       its Close lingers first (see {@link CloseHandshake}): it half-closes its output (after a TLS
 *       close_notify) once the Close is written and reads on, discarding, until the peer's Close, its FIN or
 *       {@code closeTimeout}, so that no unread input turns the close into a reset. It is not passed on. An
 *       {@link IOException} closes TCP without a Close frame; any other exception fails the connection
 *       with 1011. Both are passed on to {@code exceptionCaught} of the next handler.</li>
 *   <li>A Close frame written by the user is sent (and flushed at once); the connection then waits for the
 *       peer's Close for at most {@code closeTimeout} before closing TCP. Data frames arriving meanwhile are
 *       still passed on. A second Close written later is released and its promise succeeds without
 *       anything being sent (the connection is already closing, which is what the caller asked for). A
 *       data, ping or pong frame (or {@link EncodedFrame}) written after the Close is released and its promise fails with
 *       {@link CloseHandshakeStartedException}. A malformed Close frame (1-byte or over-125-byte payload,
 *       a code that may not be sent) fails with {@link IllegalArgumentException} and changes nothing.</li>
 *   <li>{@code channel.close()} sends Close 1000 (the echo, if the peer's Close was received) when no Close
 *       was sent yet, and closes TCP once the Close frame is written.</li>
 * </ul>
 *
 * <p>Encoded frames ({@link EncodedFrame}, a topic's message written to many channels) are data frames too: refused
 * after our Close, and while the application is sending a fragmented message they wait for its last frame
 * ({@link HeldFrames}), since no other data frame may go between its fragments (§5.4).
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
 * <p>The rules live in two classes without I/O: {@link CloseHandshake} holds the close state and decides
 * what each event calls for, {@link LivenessDeadlines} decides what the timeouts call for. This handler
 * reports the events to them and carries out their decisions: it writes the frames, runs the timers and
 * closes the channel.
 *
 * <p>One instance per connection; all methods run on the channel's event loop.
 */
public final class ProtocolHandler extends ChannelDuplexHandler {
    // Bits of 'flags'; the close state is the handshake's.
    private static final int LIVENESS_STARTED = 1 << 1;
    /** A keep-alive ping was sent: {@link LivenessClock#pingSentNanos} says when. */
    private static final int PING_SENT = 1 << 2;
    /** A pong was written and waits for the flush at the end of the read batch. */
    private static final int FLUSH_NEEDED = 1 << 3;
    /** A data message of several frames is going out: its last frame has not been written yet. */
    private static final int SENDING_FRAGMENTS = 1 << 4;
    /** {@link EncodedFrame}s wait in {@link HeldFrames} for the end of that message. */
    private static final int HOLDING = 1 << 5;

    private final WebSocketConfig config;
    /** The close state of the connection; this handler carries out its decisions. */
    private final CloseHandshake handshake;
    /** Set in handlerAdded, before any event arrives. */
    private ChannelHandlerContext ctx;
    /** The bits above; a byte, so that this handler stays within 56 bytes. */
    private byte flags;
    /** The write of our Close frame, null before it; TCP is closed only once it is done. */
    private ChannelFuture closeWrite;
    /** The liveness timer before our Close is sent, the close timer after; null when none is scheduled. */
    private ScheduledFuture<?> timer;
    /** Payload of the latest ping not yet answered because the channel was not writable; usually null. */
    private ByteBuf pendingPing;
    /** The peer's violation whose Close waits for the handlers behind to drain (see {@link FailureComingEvent}). */
    private FailureComingEvent pendingFailure;
    /** The times the idle timeout and keep-alive need; null when neither is configured (the default). */
    private final LivenessClock clock;
    /** What this connection counts into, set in handlerAdded; null when nothing (a bare pipeline). */
    private WebSocketStatistics statistics;

    /**
     * Creates a protocol handler for one connection.
     *
     * @param config the timeouts to apply
     * @param role whether this end is the server (closes TCP first) or the client (waits for the server)
     */
    public ProtocolHandler(WebSocketConfig config, Role role) {
        this.config = Objects.requireNonNull(config, "config");
        this.handshake = new CloseHandshake(Objects.requireNonNull(role, "role"));
        this.clock = !config.idleTimeout().isZero() || !config.pingInterval().isZero() ? new LivenessClock() : null;
    }

    /** Remembers the context and starts the timers when the channel is already active (added after the upgrade). */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.statistics = WebSocketStatistics.of(ctx.channel());
        if (ctx.channel().isActive()) {
            ConnectionTelemetry.opened(statistics, ctx.channel(), handshake.isServer());
            startLivenessTimer();
        }
    }

    /** Cancels the timers and releases a pending ping. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        releasePendingPing();
        dropHeldFrames(new ClosedChannelException());
    }

    /** Starts the timers. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ConnectionTelemetry.opened(statistics, ctx.channel(), handshake.isServer());
        startLivenessTimer();
        ctx.fireChannelActive();
    }

    /** Cancels the timers and fires the {@link WebSocketCloseEvent} (once), then passes the event on. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        pendingFailure = null;
        releasePendingPing();
        dropHeldFrames(new ClosedChannelException());
        WebSocketCloseEvent event = handshake.onChannelInactive();
        if (event != null) {
            ConnectionTelemetry.closed(statistics, ctx.channel(), handshake.isServer(), event.code(), event.reason(),
                    event.isRemote(), event.isClean());
            ctx.fireUserEventTriggered(event);
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
        switch (frame.opcode()) {
            case WebSocketProtocol.OPCODE_PING:
                onPing(frame);
                break;
            case WebSocketProtocol.OPCODE_CLOSE:
                onPeerClose(frame);
                break;
            default:
                if (handshake.onRead() == Decision.PASS) {
                    if (statistics != null && !frame.isControl()) {
                        statistics.dataReceived(frame.content().readableBytes(), frame.isFinal());
                    }
                    ctx.fireChannelRead(frame);
                } else {
                    frame.release(); // RFC 6455 §5.5.1: nothing may follow the peer's Close
                }
        }
    }

    /** Records the read time for the timeouts and flushes the pongs of this read batch. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (clock != null) {
            // Once per read batch rather than per frame: the timers need no finer resolution.
            clock.lastReadNanos = now();
        }
        if (has(FLUSH_NEEDED)) {
            flags &= ~FLUSH_NEEDED;
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
            failAfterDrain(code, e.getMessage());
            return;
        }
        if (cause instanceof IOException) {
            // The transport is broken (reset, ...). A refused write after Close (reported here for void
            // promises) is not a transport failure, though.
            if (!(cause instanceof CloseHandshakeStartedException)) {
                act(handshake.onTransportFailure(), ctx.newPromise());
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
            if (frame.isClose()) {
                if (pendingFailure != null) {
                    // The application closes while the peer's violation waits for it: the violation's Close goes.
                    frame.release();
                    promise.trySuccess();
                    failPending();
                    return;
                }
                writeLocalClose(frame, promise);
                return;
            }
            if (handshake.onWrite() == Decision.REFUSE) {
                int opcode = frame.opcode();
                frame.release();
                promise.tryFailure(new CloseHandshakeStartedException(opcode));
                return;
            }
            if (!frame.isControl()) {
                writeDataFrame(ctx, frame, promise);
                return;
            }
        } else if (msg instanceof EncodedFrame) {
            writeEncodedFrame(ctx, (EncodedFrame) msg, promise);
            return;
        }
        ctx.write(msg, promise);
    }

    /**
     * Fails the connection for a reason of the application's (a subscriber that does not read, say): the handlers
     * behind get the {@link CloseComingEvent}, then a Close with {@code code} and {@code reason} is sent if none was
     * yet, and TCP is closed once it is written, or after {@link WebSocketConfig#closeTimeout()} when the peer does
     * not read it. Call it on the channel's event loop.
     *
     * @param code   a close code that may be sent
     * @param reason the reason, at most 123 bytes of UTF-8
     */
    public void fail(int code, String reason) {
        if (!ctx.executor().inEventLoop()) {
            throw new IllegalStateException("ProtocolHandler.fail must be called on the channel's event loop");
        }
        WebSocketProtocol.checkCloseReason(reason);
        failConnection(code, reason);
    }

    /** Writes a data frame, tracking whether a fragmented message is open; its last frame releases held frames. */
    private void writeDataFrame(ChannelHandlerContext ctx, WebSocketFrame frame, ChannelPromise promise) {
        boolean fin = frame.isFinal();
        if (statistics != null) {
            statistics.dataSent(frame.content().readableBytes(), fin);
        }
        ctx.write(frame, promise);
        if (!fin) {
            flags |= SENDING_FRAGMENTS;
        } else if ((flags & SENDING_FRAGMENTS) != 0) {
            flags &= ~SENDING_FRAGMENTS;
            if ((flags & HOLDING) != 0) {
                flags &= ~HOLDING;
                HeldFrames.writeAll(ctx, statistics);
            }
        }
    }

    /** An already encoded message: refused after our Close, held while a fragmented message is going out. */
    private void writeEncodedFrame(ChannelHandlerContext ctx, EncodedFrame frame, ChannelPromise promise) {
        if (handshake.onWrite() == Decision.REFUSE) {
            int opcode = encodedOpcode(frame);
            frame.release();
            if (!promise.isVoid()) {
                // A fan-out writes with the void promise: a subscriber that is closing just misses it, no error.
                promise.tryFailure(new CloseHandshakeStartedException(opcode));
            }
        } else if ((flags & SENDING_FRAGMENTS) != 0) {
            HeldFrames.hold(ctx.channel(), frame, promise);
            flags |= HOLDING;
        } else {
            if (statistics != null) {
                statistics.dataSent(frame.payloadLength(), true);
            }
            ctx.write(frame, promise);
        }
    }

    /** Drops frames held for the end of a message that will now never end. */
    private void dropHeldFrames(Throwable why) {
        if ((flags & HOLDING) != 0) {
            flags &= ~HOLDING;
            HeldFrames.dropAll(ctx.channel(), why);
        }
    }

    /** The opcode in the first byte of an encoded frame, for the refusal's message. */
    private static int encodedOpcode(EncodedFrame frame) {
        ByteBuf bytes = frame.content();
        return bytes.isReadable() ? bytes.getByte(bytes.readerIndex()) & 0x0F : WebSocketProtocol.OPCODE_BINARY;
    }

    /**
     * Sends Close 1000 (or the echo of the peer's Close) when no Close was sent yet, then closes TCP once
     * that frame is written.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        failPending();
        announceClose();
        Decision decision = handshake.onCloseRequested(ctx.channel().isActive());
        if (decision == Decision.SEND_AND_CLOSE) {
            sendClose(WebSocketFrame.close(CloseCodes.NORMAL_CLOSURE, ""), ctx.newPromise());
        }
        act(decision, promise);
    }

    private void onPing(WebSocketFrame ping) {
        if (handshake.onPing() == Decision.DROP) {
            ping.release();
            return;
        }
        // A newer ping supersedes an unanswered one (RFC 6455 §5.5.3 allows answering only the latest).
        releasePendingPing();
        if (ctx.channel().isWritable()) {
            // The pong takes over the ping's payload buffer: no copy, no extra reference.
            ctx.write(WebSocketFrame.pong(ping.content()), ctx.voidPromise());
            flags |= FLUSH_NEEDED;
        } else {
            pendingPing = ping.content();
        }
    }

    private void onPeerClose(WebSocketFrame close) {
        if (statistics != null) {
            statistics.closeReceived(close.closeCode());
        }
        // Read what we need before the next handler takes (and may release) the frame.
        if (handshake.onPeerClose(close.closeCode(), close.closeReason()) == Decision.DROP) {
            close.release();
            return;
        }
        releasePendingPing();
        // Passed on before replying so the next handler may write its own Close reply instead of the echo.
        ctx.fireChannelRead(close);
        act(handshake.onPeerCloseDelivered(), ctx.newPromise());
    }

    /** Our Close frame, written by the user or for the idle timeout: sent unless one was, or it is malformed. */
    private void writeLocalClose(WebSocketFrame close, ChannelPromise promise) {
        int length = close.content().readableBytes();
        int code = close.closeCode();
        switch (handshake.onLocalClose(length, code, close.closeReason())) {
            case SEND:
                sendClose(close, promise);
                break;
            case IGNORE:
                close.release();
                promise.trySuccess();
                break;
            default: // REJECT
                close.release();
                promise.tryFailure(new IllegalArgumentException(CloseHandshake.unsendableReason(length, code)));
        }
    }

    /** "Fail the WebSocket connection" (RFC 6455 §7.1.7): our Close if none was sent yet, then TCP close. */
    private void failConnection(int code, String reason) {
        announceClose();
        // The reason fits: every reason given here follows WebSocketProtocol's close reason rule.
        Decision decision = handshake.onFailure(code, reason);
        if (decision == Decision.SEND_AND_CLOSE || decision == Decision.SEND_AND_LINGER) {
            sendClose(WebSocketFrame.close(code, reason), ctx.newPromise());
        }
        act(decision, ctx.newPromise());
    }

    /**
     * Fails the connection for the peer's violation once the handlers behind have taken what arrived before it
     * ({@link FailureComingEvent}), at most {@link WebSocketConfig#failureDrainTimeout()} later; at once when no
     * handler holds the failure back, the wait is off, or the closing handshake has begun. The decoder decodes
     * nothing after a violation meanwhile, and the drain timer takes the liveness timer's place.
     */
    private void failAfterDrain(int code, String reason) {
        if (pendingFailure != null) {
            return; // the first violation's Close is the one that goes out
        }
        long drainNanos = config.failureDrainTimeout().toNanos();
        if (drainNanos == 0 || handshake.state() != CloseHandshake.State.OPEN) {
            failConnection(code, reason);
            return;
        }
        FailureComingEvent failure = new FailureComingEvent(this, ctx.executor(), code, reason);
        pendingFailure = failure;
        ctx.fireUserEventTriggered(failure);
        if (!failure.isHeld()) {
            failPending();
            return;
        }
        cancelTimer();
        timer = ctx.executor().schedule(this::onDrainTimeout, drainNanos, TimeUnit.NANOSECONDS);
    }

    /** Every hold of {@code failure} was released: its Close goes now, unless another end came first. */
    void failureReleased(FailureComingEvent failure) {
        if (pendingFailure == failure) {
            failPending();
        }
    }

    private void onDrainTimeout() {
        timer = null;
        failPending();
    }

    /** Sends the Close of the violation that waits for the drain, if one does. */
    private void failPending() {
        FailureComingEvent failure = pendingFailure;
        if (failure != null) {
            pendingFailure = null;
            failConnection(failure.code(), failure.reason());
        }
    }

    /**
     * Lets the handlers behind this one write the frames they queued before a Close of ours goes out
     * ({@link CloseComingEvent}); only while no Close was sent, so that those writes still pass.
     */
    private void announceClose() {
        if (!handshake.isCloseSent() && ctx.channel().isActive()) {
            ctx.fireUserEventTriggered(CloseComingEvent.INSTANCE);
        }
    }

    /**
     * Carries out the handshake's decision about the echo and TCP; {@code closePromise} completes when TCP
     * is closed. For {@code SEND_AND_CLOSE} and {@code SEND_AND_LINGER} the caller has sent our Close already:
     * only it knows the code.
     */
    private void act(Decision decision, ChannelPromise closePromise) {
        switch (decision) {
            case ECHO:
                sendEcho();
                return;
            case ECHO_AND_CLOSE:
                sendEcho();
                closeTcp(closePromise);
                return;
            case SEND_AND_CLOSE:
            case CLOSE:
                closeTcp(closePromise);
                return;
            case SEND_AND_LINGER:
            case LINGER:
                linger();
                return;
            case CLOSE_NOW:
                ctx.close(closePromise);
                return;
            default: // NONE: a client waits for the server to close TCP, bounded by the close timer
        }
    }

    private void sendEcho() {
        int code = handshake.echoCode();
        WebSocketFrame reply = CloseCodes.isValidOnWire(code) ? WebSocketFrame.close(code, "")
                : WebSocketFrame.emptyClose();
        sendClose(reply, ctx.newPromise());
    }

    /** The one place that writes a Close frame; the handshake has already counted it as sent. */
    private void sendClose(WebSocketFrame frame, ChannelPromise promise) {
        releasePendingPing();
        dropHeldFrames(new CloseHandshakeStartedException(WebSocketProtocol.OPCODE_BINARY));
        pendingFailure = null; // any Close ends the drain: nothing may follow it
        cancelTimer();
        if (statistics != null) {
            statistics.closeSent(frame.closeCode());
        }
        timer = ctx.executor().schedule(this::onCloseTimeout, config.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        // Flushed at once: TCP may be closed right after it, and a close drops unflushed writes.
        ChannelFuture write = ctx.writeAndFlush(frame, promise.unvoid());
        closeWrite = write;
        write.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                handshake.onCloseWritten();
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

    /**
     * Reads on after our Close until the peer's Close, its FIN (the channel goes inactive) or the close timer,
     * which {@link #sendClose} started; the handshake drops what arrives meanwhile. Once our Close is written the
     * output is half-closed, so that the peer reads our Close and then the end of the stream.
     */
    private void linger() {
        // Backpressure may have paused reading; unread input is what would turn the close into a reset.
        ctx.channel().config().setAutoRead(true);
        closeWrite.addListener((ChannelFutureListener) this::halfClose);
    }

    private void halfClose(ChannelFuture closeWritten) {
        if (!closeWritten.isSuccess()) {
            ctx.close(); // the Close could not be written: nothing is left to wait for
            return;
        }
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls != null) {
            // close_notify first: a TLS peer takes a bare TCP FIN for a truncation attack.
            tls.closeOutbound().addListener(f -> shutdownOutput());
        } else {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        if (ctx.channel() instanceof DuplexChannel) {
            ((DuplexChannel) ctx.channel()).shutdownOutput();
        }
    }

    private void onCloseTimeout() {
        timer = null;
        act(handshake.onCloseTimeout(), ctx.newPromise());
    }

    private void startLivenessTimer() {
        if (clock == null || has(LIVENESS_STARTED) || handshake.isCloseSent()) {
            return;
        }
        flags |= LIVENESS_STARTED;
        long now = now();
        clock.lastReadNanos = now;
        scheduleLiveness(LivenessDeadlines.nextCheckIn(config, now, false, 0, now));
    }

    private void scheduleLiveness(long delayNanos) {
        timer = ctx.executor().schedule(this::onLivenessTimer, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Carries out what the idle and keep-alive deadlines call for and reschedules for the next one. */
    private void onLivenessTimer() {
        timer = null;
        if (handshake.isCloseSent() || !ctx.channel().isActive()) {
            return;
        }
        long now = now();
        LivenessClock c = clock;
        switch (LivenessDeadlines.due(config, c.lastReadNanos, has(PING_SENT), c.pingSentNanos, now)) {
            case IDLE_TIMEOUT:
                announceClose();
                // As if the application had written the Close: the peer has the close timeout to answer.
                writeLocalClose(WebSocketFrame.close(CloseCodes.GOING_AWAY, "idle timeout"), ctx.newPromise());
                return;
            case PONG_TIMEOUT:
                failConnection(CloseCodes.INTERNAL_ERROR, "keepalive ping timeout");
                return;
            case SEND_PING:
                ctx.writeAndFlush(WebSocketFrame.ping(ctx.alloc().buffer(8).writeLong(now)), ctx.voidPromise());
                c.pingSentNanos = now;
                flags |= PING_SENT;
                break;
            default: // NOTHING
        }
        scheduleLiveness(LivenessDeadlines.nextCheckIn(config, c.lastReadNanos, has(PING_SENT), c.pingSentNanos, now));
    }

    /** When the last read batch ended (or the timers started) and the last keep-alive ping was sent, by the ticker. */
    private static final class LivenessClock {
        long lastReadNanos;
        /** Meaningful once {@link #PING_SENT} is set. */
        long pingSentNanos;
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

    private long now() {
        // The executor's ticker rather than System.nanoTime(), so that tests can move time forward.
        return ctx.executor().ticker().nanoTime();
    }

    private boolean has(int bit) {
        return (flags & bit) != 0;
    }
}
