package dev.wsnetty.netty.codec;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.internal.InboundBudgets;
import dev.wsnetty.netty.internal.ReadPauses;
import dev.wsnetty.netty.internal.codec.Masking;
import dev.wsnetty.netty.internal.codec.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.WebSocketProtocol.B0_FLAG_FIN;
import static dev.wsnetty.WebSocketProtocol.B0_FLAG_RSV1;
import static dev.wsnetty.WebSocketProtocol.B0_MASK_OPCODE;
import static dev.wsnetty.WebSocketProtocol.B1_FLAG_MASK;
import static dev.wsnetty.WebSocketProtocol.B1_MASK_LENGTH;
import static dev.wsnetty.WebSocketProtocol.MAX_HEADER_LENGTH;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_LENGTH_16;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_LENGTH_64;

/**
 * Turns the bytes of a WebSocket connection into {@link WebSocketFrame}s (RFC 6455 §5), enforcing every
 * rule of the base protocol and the configured size limits.
 *
 * <p><b>Zero copy when it can.</b> A frame that lies whole in one inbound buffer becomes a retained slice
 * of that buffer, unmasked in place ({@link Masking}), or, when it is the last thing in the buffer (as a
 * lone small message is), the buffer itself with its reader index at the payload; read-only input is
 * copied instead. Only what straddles reads is copied: header bytes into a 14-byte buffer, and a frame
 * of at most {@link WebSocketConfig#streamingThreshold()} bytes into one buffer, unmasked while copied and passed
 * on whole. That buffer has the frame's size at once for a frame of up to {@value #EAGER_BUFFER_MAX} bytes or
 * once a {@value #WHOLE_BUFFER_FRACTION}th of it has arrived; before that it grows with the bytes that arrived, so
 * that a header alone does not make the server set aside a megabyte (at most 16 times what arrived).
 * A larger frame that has not fully arrived is passed on in pieces as its bytes come in: the first piece
 * has the frame's opcode, the others {@link WebSocketProtocol#OPCODE_CONTINUATION}, and only the last piece of a final
 * frame has {@code fin} set (see {@link WebSocketFrame}).
 *
 * <p><b>Errors.</b> The rules are checked by {@link FrameRules}, whose violations are
 * {@link WebSocketProtocolException}s that carry their close code by type: {@link ProtocolErrorException}
 * (1002) for framing errors (reserved bits — RSV1 is allowed on the first frame of a data message once
 * {@link #acceptCompressedMessages()} was called —, reserved opcodes, wrong masking, fragmented or oversized control
 * frames, continuation out of order, non-minimal or 64-bit lengths, bad close codes),
 * {@link InvalidPayloadException} (1007) for invalid UTF-8 in a text message or close reason,
 * {@link MessageTooBigException} (1009) for a frame or message over the configured limits, detected from
 * the header so the excess is never buffered. A violation is reported once, through
 * {@code exceptionCaught}, after the frames decoded before it were passed on. After an error, and after a
 * Close frame, all further input is released unread.
 *
 * <p><b>UTF-8.</b> Text is validated as it arrives, across fragments and reads, also inside a frame that
 * is still incomplete, so an invalid byte fails the connection at once; a message that ends inside a
 * code point fails at its final frame.
 *
 * <p>Control frames may arrive between the fragments of a message and are passed on immediately.
 *
 * <p><b>What is left unfinished.</b> After each read that leaves a frame or a fragmented message unfinished, the
 * decoder settles the connection's account in the {@link InboundMemoryBudget} (the channel's, see
 * {@code WebSocketPipeline.useInboundMemoryBudget}, else {@link InboundMemoryBudget#shared()}): the bytes of the
 * unfinished message read so far count as held, as the {@code MessageAggregator} holds them (a pipeline that
 * consumes the pieces as they come is over-counted, never under-counted), and are released once the message
 * has been passed on whole. Of a compressed message only the frame being read counts here: the deflate handler
 * counts the inflated bytes it passed on. The budget may pause reading or close the connection with 1013
 * ({@link TryAgainLaterException}). It also starts the deadlines: a frame not complete within
 * {@link WebSocketConfig#frameTimeout()} of the read that brought its first byte, or a fragmented message not
 * complete within {@link WebSocketConfig#messageTimeout()}, fails the connection with 1008
 * ({@link PolicyViolationException}), checked by one timer per connection that runs only while something is
 * unfinished; with 1013 instead when the budget keeps the connection from reading then (the delay is ours). While
 * only the handler's full inbound queue keeps it from reading, a deadline that passes starts over instead: the peer
 * is not late, the handler is, and the queue's limits and the budget bound what the connection holds meanwhile. A
 * read that leaves nothing unfinished (the common case) touches neither the budget nor the clock.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter implements InboundBudgets.AccountKeeper {

    private static final byte READ_HEADER = 0;
    private static final byte READ_PAYLOAD = 1;
    private static final byte DISCARD = 2;
    /** A deadline's start time while nothing it covers has been left unfinished. */
    private static final long NOT_STARTED = Long.MIN_VALUE;
    /** Straddling frames up to this size get their whole buffer at once; larger ones a buffer that grows. */
    static final int EAGER_BUFFER_MAX = 64 * 1024;
    /**
     * A larger straddling frame gets its whole buffer once this fraction of it (1/16) has arrived: a 1 MiB frame is
     * then copied once instead of again at each doubling of a growing buffer (64, 128, 256, 512 KiB).
     */
    static final int WHOLE_BUFFER_FRACTION = 16;

    /** The size limits, read where they are needed: one shared reference costs less per connection than copies. */
    private final WebSocketConfig config;
    private final boolean expectMasked;
    /** Whether permessage-deflate was negotiated: RSV1 then marks a compressed message; set once, on the event loop. */
    private boolean compressedAllowed;
    /** The {@link Utf8Validator} state of the text message being read: an int, not a validator object per connection. */
    private int utf8State = Utf8Validator.START;

    private byte state = READ_HEADER;
    /** Header bytes of the next frame that arrived without the rest of the header. */
    private ByteBuf headerBytes;
    /** Payload of a frame within the streaming threshold that straddles reads, filled up to its exact size. */
    private ByteBuf partialPayload;
    /** Whether this read passed on at least one frame (else a manual-read pipeline must ask for more). */
    private boolean decodedInThisRead;
    /** Whether the inbound buffer being decoded went on as a payload: it is no longer ours to read or release. */
    private boolean inputHandedOn;

    // The frame being read.
    /** A byte rather than an int: opcodes are 4 bits, and every byte of a per-connection handler counts. */
    private byte frameOpcode;
    private boolean frameFin;
    private int frameMask;
    private int frameLength;
    /** Payload bytes of the current frame already consumed (copied or passed on). */
    private int frameRead;
    /** Whether the current frame's payload is text to validate. */
    private boolean frameText;

    // The data message the frames belong to.
    private boolean messageOpen;
    private boolean messageText;
    /** Whether the message is compressed (RSV1 on its first frame): its text is validated once inflated, not here. */
    private boolean messageCompressed;
    /** Bytes of the message so far; an int because the header check keeps it within maxMessageSize. */
    private int messageLength;
    /** Frames of the message so far, for {@link WebSocketConfig#maxFramesPerMessage()}. */
    private int messageFrames;

    // What is left unfinished between reads; all on the event loop.
    /** Set in handlerAdded. */
    private ChannelHandlerContext ctx;
    /**
     * The connection's share of the inbound memory budget: opened on first use (a read that leaves something
     * unfinished, or the blocking API's queue), closed when the channel ends; null before.
     */
    private InboundMemoryBudget.Account account;
    /** The account and deadlines of what was left unfinished; made by the first read that leaves something. */
    private Unfinished unfinished;

    /** Creates a decoder for one connection; a {@link Role#SERVER} expects masked frames, a client unmasked. */
    public FrameDecoder(WebSocketConfig config, Role role) {
        this.config = Objects.requireNonNull(config, "config");
        this.expectMasked = role == Role.SERVER;
    }

    /**
     * Accepts RSV1 on the first frame of a data message from now on, as the mark of a message compressed with
     * permessage-deflate (RFC 7692 §6): called by the deflate handler when it joins the pipeline, before any frame
     * is decoded. Such frames are passed on with {@link WebSocketFrame#isCompressed()} set on the first frame, and
     * their text is not validated as UTF-8 here (it is compressed): the deflate handler validates what it inflates.
     * Without this call any RSV bit fails the connection with 1002. Call it on the event loop.
     */
    public void acceptCompressedMessages() {
        compressedAllowed = true;
    }

    /**
     * Fails the connection with a violation found behind the decoder, in a message an extension transforms (a
     * message that inflates beyond the limit, invalid compressed data): the decoder decodes nothing more, and the
     * violation is reported once through {@code exceptionCaught}, as its own would be. Call it on the event loop,
     * typically from a later handler's {@code channelRead}.
     *
     * @param violation what was wrong, with its close code
     */
    public void failMessage(WebSocketProtocolException violation) {
        if (state != DISCARD) {
            fail(ctx, violation);
        }
    }

    /** Remembers the context, for the deadline timer and the budget's requests. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The connection's account in its inbound memory budget, opened on the first call: for the decoder itself and
     * for the blocking API's queue ({@code InboundBudgets.accountOf}). Not for applications: call it on the event
     * loop, once the decoder is in the pipeline.
     */
    @Override
    public InboundMemoryBudget.Account inboundAccount() {
        InboundMemoryBudget.Account a = account;
        if (a == null) {
            // A connection whose frames each arrive whole and that has no queue never gets here, and keeps the
            // account's bytes.
            a = account = InboundBudgets.budgetOf(ctx.channel()).open(new BudgetedConnection());
        }
        return a;
    }

    /** Decodes the frames in an inbound buffer and passes them on; anything else passes through. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            decode(ctx, in);
            if (state != READ_HEADER || headerBytes != null || messageOpen
                    || unfinished != null && unfinished.accounted != 0) {
                afterUnfinishedRead();
            }
        } finally {
            // Every frame passed on holds its own reference (slice) or its own copy, or has taken ours.
            if (inputHandedOn) {
                inputHandedOn = false;
            } else {
                in.release();
            }
        }
    }

    /** Asks for more input when auto-read is off and this read completed no frame. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!decodedInThisRead && !ctx.channel().config().isAutoRead()
                && !ReadPauses.isPaused(ctx.channel(), ReadPauses.BUDGET)) {
            ctx.read(); // nothing was passed on, so nobody downstream will ask for the rest of the frame
        }
        decodedInThisRead = false;
        ctx.fireChannelReadComplete();
    }

    /** Releases a partial header or frame, and the connection's share of the inbound memory budget. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard();
        closeAccount();
        ctx.fireChannelInactive();
    }

    /** Releases a partial header or frame, and the connection's share of the inbound memory budget. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
        closeAccount();
    }

    private void closeAccount() {
        if (account != null) {
            account.close();
        }
    }

    private void decode(ChannelHandlerContext ctx, ByteBuf in) {
        try {
            // Once the buffer itself went on as a payload, the next handler may have released it already.
            while (!inputHandedOn) {
                if (state == READ_HEADER) {
                    if (!in.isReadable() || !readHeader(ctx, in)) {
                        return;
                    }
                } else if (state == READ_PAYLOAD) {
                    if (!readPayload(ctx, in)) {
                        return;
                    }
                } else {
                    return; // DISCARD: the caller releases the rest
                }
            }
        } catch (WebSocketProtocolException violation) {
            fail(ctx, violation);
        }
    }

    /**
     * Reads the next header; {@code true} when it is complete and valid (state is then READ_PAYLOAD).
     *
     * @throws WebSocketProtocolException if the header breaks a rule
     */
    private boolean readHeader(ChannelHandlerContext ctx, ByteBuf in) {
        ByteBuf stash = headerBytes;
        if (stash == null) {
            int length = parseHeader(in, in.readerIndex(), in.readableBytes());
            if (length > 0) {
                in.skipBytes(length);
                return true;
            }
            headerBytes = stash = ctx.alloc().buffer(MAX_HEADER_LENGTH, MAX_HEADER_LENGTH);
            stash.writeBytes(in); // fewer bytes than the header needs, so they fit
            return false;
        }
        int had = stash.readableBytes();
        int added = Math.min(in.readableBytes(), MAX_HEADER_LENGTH - had);
        stash.writeBytes(in, in.readerIndex(), added);
        int length = parseHeader(stash, stash.readerIndex(), stash.readableBytes());
        if (length == 0) {
            in.skipBytes(added);
            return false;
        }
        in.skipBytes(length - had);
        headerBytes = null;
        stash.release();
        return true;
    }

    /**
     * Parses and checks a header at {@code index} of {@code buf} without moving its indices.
     *
     * @return the header length when complete and valid, 0 when more bytes are needed
     * @throws WebSocketProtocolException if the header breaks a rule
     */
    private int parseHeader(ByteBuf buf, int index, int available) {
        if (available < 2) {
            return 0;
        }
        int firstTwo = buf.getUnsignedShort(index);
        // Checked before the rest of the header is there, so that a bad header fails at once.
        FrameRules.checkFirstTwoBytes(firstTwo, expectMasked, messageOpen, compressedAllowed);
        int shortLength = firstTwo & B1_MASK_LENGTH;
        boolean masked = (firstTwo & B1_FLAG_MASK) != 0;
        int headerLength = 2 + (shortLength == PAYLOAD_LENGTH_16 ? 2 : shortLength == PAYLOAD_LENGTH_64 ? 8 : 0)
                + (masked ? 4 : 0);
        if (available < headerLength) {
            return 0;
        }
        int opcode = (firstTwo >>> 8) & B0_MASK_OPCODE;
        long length;
        int maskIndex = index + 2;
        if (shortLength < PAYLOAD_LENGTH_16) {
            length = shortLength;
        } else if (shortLength == PAYLOAD_LENGTH_16) {
            length = buf.getUnsignedShort(maskIndex);
            maskIndex += 2;
        } else {
            length = buf.getLong(maskIndex);
            maskIndex += 8;
        }
        FrameRules.checkLength(firstTwo, shortLength, length, messageLength, messageCompressed, config);
        startFrame(firstTwo, masked ? buf.getInt(maskIndex) : 0, (int) length);
        return headerLength;
    }

    /**
     * Makes a checked header the current frame and counts it in its message. A method of its own so that
     * parseHeader stays small enough for the JIT to inline it into the read loop.
     */
    private void startFrame(int firstTwo, int mask, int length) {
        int opcode = (firstTwo >>> 8) & B0_MASK_OPCODE;
        boolean fin = (firstTwo & (B0_FLAG_FIN << 8)) != 0;
        boolean control = WebSocketProtocol.isControl(opcode);
        if (!control) {
            if (opcode == WebSocketProtocol.OPCODE_CONTINUATION) {
                FrameRules.checkFrameCount(++messageFrames, config);
                messageLength += length;
            } else {
                messageFrames = 1;
                if (unfinished != null) {
                    unfinished.messageStarted = NOT_STARTED;
                }
                // Checked by the rules: RSV1 only here, and only when compressed messages are accepted.
                messageCompressed = (firstTwo & (B0_FLAG_RSV1 << 8)) != 0;
                messageText = opcode == WebSocketProtocol.OPCODE_TEXT;
                if (messageText) {
                    utf8State = Utf8Validator.START;
                }
                messageLength = length;
            }
            messageOpen = !fin;
        }
        frameOpcode = (byte) opcode;
        frameFin = fin;
        frameMask = mask;
        frameLength = length;
        frameRead = 0;
        frameText = !control && messageText && !messageCompressed;
        state = READ_PAYLOAD;
    }

    /** Reads payload of the current frame; {@code true} when the frame is done and more may follow. */
    private boolean readPayload(ChannelHandlerContext ctx, ByteBuf in) {
        int available = in.readableBytes();
        int remaining = frameLength - frameRead;
        if (partialPayload != null) {
            return accumulate(ctx, in, Math.min(available, remaining));
        }
        if (frameRead == 0 && available >= remaining) {
            // The whole frame is here: the hot path.
            return finishFrame(ctx, take(ctx, in, remaining));
        }
        if (available == 0) {
            return false;
        }
        if (frameLength <= config.streamingThreshold()) {
            partialPayload = ctx.alloc().buffer(partialCapacity(available, EAGER_BUFFER_MAX), frameLength);
            return accumulate(ctx, in, available);
        }
        return stream(ctx, in, Math.min(available, remaining));
    }

    /** Copies {@code count} more bytes of a straddling frame to be passed on whole; finishes it when it is complete. */
    private boolean accumulate(ChannelHandlerContext ctx, ByteBuf in, int count) {
        ByteBuf payload = partialPayload;
        if (payload.writableBytes() < count) {
            payload.capacity(partialCapacity(payload.writerIndex() + count, 2 * payload.capacity()));
        }
        int at = payload.writerIndex();
        Masking.copyMasked(in, in.readerIndex(), payload, at, count, Masking.rotate(frameMask, frameRead));
        payload.writerIndex(at + count);
        in.skipBytes(count);
        frameRead += count;
        // Validate what just arrived, so invalid text fails before the rest of the frame comes. On a
        // violation, discarding the decoder's state releases the payload.
        if (frameText && !validText(payload, at, count)) {
            throw FrameRules.invalidText();
        }
        if (frameRead < frameLength) {
            return false;
        }
        partialPayload = null;
        return finishFrame(ctx, payload);
    }

    /**
     * The capacity of the buffer of a straddling frame passed on whole, once {@code arrived} of its bytes have: the
     * whole frame when it is small or enough of it is here, else {@code growTo} (but at least what arrived).
     */
    private int partialCapacity(int arrived, int growTo) {
        if (frameLength <= EAGER_BUFFER_MAX || arrived >= frameLength / WHOLE_BUFFER_FRACTION) {
            return frameLength;
        }
        return Math.min(frameLength, Math.max(arrived, growTo));
    }

    /** Passes on the next {@code count} bytes of a large frame that is still arriving, as one piece. */
    private boolean stream(ChannelHandlerContext ctx, ByteBuf in, int count) {
        int opcode = frameRead == 0 ? frameOpcode : WebSocketProtocol.OPCODE_CONTINUATION;
        ByteBuf piece = take(ctx, in, count);
        boolean last = frameRead == frameLength;
        if (last) {
            if (frameFin && frameText && !Utf8Validator.isComplete(utf8State)) {
                piece.release();
                throw FrameRules.unfinishedText();
            }
            state = READ_HEADER;
            frameDone();
        }
        emit(ctx, new WebSocketFrame(opcode, last && frameFin, opcode != WebSocketProtocol.OPCODE_CONTINUATION
                && startsCompressedMessage(), piece));
        return last;
    }

    /** Checks a complete frame's payload and passes the frame on; releases the payload if it breaks a rule. */
    private boolean finishFrame(ChannelHandlerContext ctx, ByteBuf payload) {
        try {
            checkWholePayload(payload);
        } catch (WebSocketProtocolException violation) {
            payload.release();
            throw violation;
        }
        frameDone();
        if (frameOpcode == WebSocketProtocol.OPCODE_CLOSE) {
            state = DISCARD; // nothing after a Close frame counts (RFC 6455 §5.5.1)
            emit(ctx, new WebSocketFrame(WebSocketProtocol.OPCODE_CLOSE, true, payload));
            return false;
        }
        state = READ_HEADER;
        emit(ctx, new WebSocketFrame(frameOpcode, frameFin, startsCompressedMessage(), payload));
        return true;
    }

    /** Whether the current frame is the first of a compressed message (a control frame may be inside one). */
    private boolean startsCompressedMessage() {
        return messageCompressed
                && (frameOpcode == WebSocketProtocol.OPCODE_TEXT || frameOpcode == WebSocketProtocol.OPCODE_BINARY);
    }

    /** The rules only a whole payload can be checked against: a Close payload's, and text's last code point. */
    private void checkWholePayload(ByteBuf payload) {
        if (frameOpcode == WebSocketProtocol.OPCODE_CLOSE) {
            FrameRules.checkClosePayload(payload);
        } else if (frameFin && frameText && !Utf8Validator.isComplete(utf8State)) {
            throw FrameRules.unfinishedText();
        }
    }

    /**
     * Takes the next {@code count} payload bytes of the current frame from {@code in}, unmasked and, for
     * text, validated: a retained slice unmasked in place, {@code in} itself when they are all it has left
     * (see {@link #inputHandedOn}), or a copy when {@code in} may not be written.
     *
     * @throws InvalidPayloadException if the bytes are text and not valid UTF-8 (nothing was taken)
     */
    private ByteBuf take(ChannelHandlerContext ctx, ByteBuf in, int count) {
        if (count == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        int mask = Masking.rotate(frameMask, frameRead);
        frameRead += count;
        if (mask != 0 && in.isReadOnly()) {
            ByteBuf copy = ctx.alloc().buffer(count, count);
            Masking.copyMasked(in, in.readerIndex(), copy, 0, count, mask);
            copy.writerIndex(count);
            in.skipBytes(count);
            if (frameText && !validText(copy, 0, count)) {
                copy.release();
                throw FrameRules.invalidText();
            }
            return copy;
        }
        // Work on the inbound buffer itself, before slicing: its NIO view is cached, a slice's is not.
        int index = in.readerIndex();
        Masking.unmaskInPlace(in, index, count, mask);
        if (frameText && !validText(in, index, count)) {
            throw FrameRules.invalidText();
        }
        if (count == in.readableBytes()) {
            // Our reference goes with the payload: no slice object, and two fewer atomic reference count
            // updates (the slice's retain, then releasing the input) for the common lone message per read.
            inputHandedOn = true;
            return in;
        }
        return in.readRetainedSlice(count);
    }

    /** Validates the next {@code count} bytes of the text message; false once it is invalid. */
    private boolean validText(ByteBuf buf, int index, int count) {
        utf8State = Utf8Validator.next(utf8State, buf, index, count);
        return !Utf8Validator.isFailed(utf8State);
    }

    /** The current frame is complete: its deadline no longer runs. */
    private void frameDone() {
        if (unfinished != null) {
            unfinished.frameStarted = NOT_STARTED;
        }
    }

    private void emit(ChannelHandlerContext ctx, WebSocketFrame frame) {
        decodedInThisRead = true;
        Unfinished u = unfinished;
        if (u != null && u.accounted != 0 && frame.isFinal() && !frame.isControl()) {
            // The message goes on whole: released before the next handler may count it again (in its queue).
            account.release(u.accounted);
            u.accounted = 0;
        }
        ctx.fireChannelRead(frame);
    }

    /**
     * The one way a violation ends decoding: drops the partial frame, ignores the rest of the connection's
     * input and reports the violation once.
     */
    private void fail(ChannelHandlerContext ctx, WebSocketProtocolException violation) {
        discard();
        ctx.fireExceptionCaught(violation);
    }

    // ---------------------------------------------------------------- what is left unfinished

    /**
     * After a read that left a frame or message unfinished, or finished one that was: settles the account and
     * starts the deadlines of what is still unfinished.
     */
    private void afterUnfinishedRead() {
        if (state == DISCARD) {
            return; // the account is closed with the channel
        }
        Unfinished u = unfinished;
        if (u == null) {
            u = unfinished = new Unfinished();
        }
        u.afterRead();
    }

    /**
     * The payload bytes of the unfinished message read so far, as the aggregator holds them (a straddling frame
     * passed on whole counts its buffer's capacity: what is allocated); 0 when nothing is unfinished. Of a compressed
     * message only the frame being read: the deflate handler inflates each frame it gets and counts what the
     * aggregator then holds, the inflated bytes.
     */
    private long bufferedBytes() {
        if (state == READ_PAYLOAD && !WebSocketProtocol.isControl(frameOpcode)) {
            long frameHeld = partialPayload != null ? partialPayload.capacity() : frameRead;
            return (messageCompressed ? 0 : (long) messageLength - frameLength) + frameHeld;
        }
        return messageOpen && !messageCompressed ? messageLength : 0;
    }

    /**
     * What was left unfinished between reads: the bytes counted in the account and the deadlines. A connection
     * whose frames each arrive in one read (most) never makes one, and saves its 40 bytes.
     */
    private final class Unfinished {
        /** Bytes of the unfinished frame and message counted in {@link #account}: settled after each read. */
        long accounted;
        /** When the read that left the current frame unfinished happened, by the executor's ticker; or NOT_STARTED. */
        long frameStarted = NOT_STARTED;
        /** When the read that left the current fragmented message unfinished happened; or NOT_STARTED. */
        long messageStarted = NOT_STARTED;
        /** The deadline timer, null while none is scheduled; {@link #checkAt} says when it runs. */
        ScheduledFuture<?> timer;
        long checkAt;

        void afterRead() {
            long buffered = bufferedBytes();
            if (buffered != accounted) {
                long before = accounted;
                accounted = buffered;
                if (buffered > before) {
                    inboundAccount().reserve(buffered - before);
                } else {
                    account.release(before - buffered); // opened when the bytes were reserved
                }
            }
            boolean frameUnfinished = headerBytes != null || state == READ_PAYLOAD;
            long timeout = config.frameTimeout().toNanos();
            long now = 0;
            boolean stamped = false;
            if (frameUnfinished && frameStarted == NOT_STARTED && timeout > 0) {
                frameStarted = now = now();
                stamped = true;
                scheduleCheck(now + timeout, now);
            }
            timeout = config.messageTimeout().toNanos();
            if (messageOpen && messageStarted == NOT_STARTED && timeout > 0) {
                messageStarted = now = stamped ? now : now();
                scheduleCheck(now + timeout, now);
            }
        }

        /** Makes sure the deadline timer runs by {@code at}. */
        private void scheduleCheck(long at, long now) {
            if (timer != null) {
                if (checkAt <= at) {
                    return;
                }
                timer.cancel(false);
            }
            checkAt = at;
            timer = ctx.executor().schedule(this::check, at - now, TimeUnit.NANOSECONDS);
        }

        /** The deadline timer: fails the connection with 1008 if a deadline passed, else looks again at the next. */
        private void check() {
            timer = null;
            if (state == DISCARD) {
                return;
            }
            long now = now();
            if (ReadPauses.isPaused(ctx.channel(), ReadPauses.QUEUE_FULL)
                    && !ReadPauses.isPaused(ctx.channel(), ReadPauses.BUDGET)) {
                // The handler is behind and its queue keeps the connection from reading: the wait is ours, so the
                // deadlines start over (the queue's limits and the budget bound what the connection holds meanwhile).
                restart(now);
                return;
            }
            long next = Long.MAX_VALUE;
            if ((headerBytes != null || state == READ_PAYLOAD) && frameStarted != NOT_STARTED) {
                long at = frameStarted + config.frameTimeout().toNanos();
                if (now - at >= 0) {
                    fail(ctx, overdue(FrameRules.frameTooSlow(config)));
                    return;
                }
                next = at;
            }
            if (messageOpen && messageStarted != NOT_STARTED) {
                long at = messageStarted + config.messageTimeout().toNanos();
                if (now - at >= 0) {
                    fail(ctx, overdue(FrameRules.messageTooSlow(config)));
                    return;
                }
                next = Math.min(next, at);
            }
            if (next != Long.MAX_VALUE) {
                scheduleCheck(next, now);
            }
        }

        /** Starts the deadlines of what is unfinished over from {@code now}, and the timer for the nearer one. */
        private void restart(long now) {
            long next = Long.MAX_VALUE;
            if (frameStarted != NOT_STARTED) {
                frameStarted = now;
                next = now + config.frameTimeout().toNanos();
            }
            if (messageStarted != NOT_STARTED) {
                messageStarted = now;
                next = Math.min(next, now + config.messageTimeout().toNanos());
            }
            if (next != Long.MAX_VALUE) {
                scheduleCheck(next, now);
            }
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }

    /**
     * The violation of a passed deadline: the peer's (1008), unless the budget keeps this connection from reading,
     * when it is ours and the peer may try again later (1013).
     */
    private WebSocketProtocolException overdue(PolicyViolationException violation) {
        if (ReadPauses.isPaused(ctx.channel(), ReadPauses.BUDGET)) {
            return new TryAgainLaterException("server busy; " + violation.getMessage() + " while reading was paused");
        }
        return violation;
    }

    private long now() {
        // The executor's ticker rather than System.nanoTime(), so that tests can move time forward.
        return ctx.executor().ticker().nanoTime();
    }

    /** What the inbound memory budget asks of this connection; called from any thread. */
    private final class BudgetedConnection implements InboundMemoryBudget.Connection {
        @Override
        public void pauseReading() {
            ReadPauses.pause(ctx.channel(), ReadPauses.BUDGET);
        }

        @Override
        public void resumeReading() {
            ReadPauses.resume(ctx.channel(), ReadPauses.BUDGET);
        }

        @Override
        public void closeForBudget(String reason) {
            ctx.executor().execute(() -> {
                if (state != DISCARD) {
                    fail(ctx, new TryAgainLaterException(reason));
                }
            });
        }
    }

    private void discard() {
        state = DISCARD;
        if (unfinished != null) {
            unfinished.cancelTimer();
        }
        if (headerBytes != null) {
            headerBytes.release();
            headerBytes = null;
        }
        if (partialPayload != null) {
            partialPayload.release();
            partialPayload = null;
        }
    }
}
