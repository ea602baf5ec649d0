package dev.wsnetty.netty.codec;

import dev.wsnetty.netty.internal.codec.BufferCopy;
import dev.wsnetty.netty.internal.codec.Masking;
import dev.wsnetty.netty.internal.codec.MaskingKeys;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;

import static dev.wsnetty.WebSocketProtocol.B0_FLAG_FIN;
import static dev.wsnetty.WebSocketProtocol.B0_FLAG_RSV1;
import static dev.wsnetty.WebSocketProtocol.B1_FLAG_MASK;
import static dev.wsnetty.WebSocketProtocol.MAX_CONTROL_PAYLOAD;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_LENGTH_16;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_LENGTH_64;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_MEDIUM_MAX;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_SHORT_MAX;
import static dev.wsnetty.WebSocketProtocol.opcodeName;

/**
 * Writes {@link WebSocketFrame}s as RFC 6455 frames (§5.2), always with the shortest length encoding.
 * Other messages pass through untouched.
 *
 * <p>RSV1 is set for a frame that {@linkplain WebSocketFrame#isCompressed() is compressed} (permessage-deflate);
 * the other RSV bits are always 0.
 *
 * <p>Server frames are not masked. Up to {@value #COPY_THRESHOLD} bytes of payload are copied behind the
 * header into one buffer (one write is cheaper than two at that size); larger payloads are written as
 * they are, after a separate header buffer, so they are never copied. The caller's promise completes
 * with the payload's write.
 *
 * <p>Client frames are masked with a fresh key from {@link MaskingKeys}; header and masked payload go
 * into one new buffer. The caller's payload is never modified: it may be shared, for example by a
 * broadcast.
 *
 * <p>An {@link EncodedFrame} (a server frame encoded once for many channels) is written as it is.
 *
 * <p>A control frame with more than 125 bytes of payload is not sent: the promise fails with an
 * {@link IllegalArgumentException}. The encoder releases every frame it is given.
 *
 * <p>Frames of up to {@value FrameBuffers#MAX_CARVED} bytes (and the headers of large frames) are written back to
 * back into a per-thread arena ({@link FrameBuffers}): the frames a channel writes with void promises between two
 * flushes go down the pipeline as one buffer, handed on at the flush, before any other write of the channel, or
 * with the first frame whose writer waits for its outcome (that frame's promise then completes with the write of
 * them all).
 *
 * <p>It keeps no state of its own (the runs are the thread's): one instance per role serves every channel
 * ({@link #of(Role)}), so that a connection does not carry an encoder object of its own.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {
    /** Largest server payload copied into the header's buffer instead of being written on its own. */
    static final int COPY_THRESHOLD = 1024;

    private static final FrameEncoder SERVER = new FrameEncoder(Role.SERVER);
    private static final FrameEncoder CLIENT = new FrameEncoder(Role.CLIENT);

    private final boolean masking;

    /** Creates an encoder; {@link Role#CLIENT} masks every frame. {@link #of(Role)} gives a shared one. */
    public FrameEncoder(Role role) {
        this.masking = role == Role.CLIENT;
    }

    /** The shared encoder of {@code role}, for any number of channels. */
    public static FrameEncoder of(Role role) {
        return role == Role.CLIENT ? CLIENT : SERVER;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        FrameBuffers buffers = FrameBuffers.current();
        if (!(msg instanceof WebSocketFrame)) {
            buffers.endRun(ctx);
            if (msg instanceof EncodedFrame) {
                writeEncoded(ctx, (EncodedFrame) msg, promise);
            } else {
                ctx.write(msg, promise);
            }
            return;
        }
        WebSocketFrame frame = (WebSocketFrame) msg;
        ByteBuf payload = frame.content();
        int length = payload.readableBytes();
        if (frame.isControl() && length > MAX_CONTROL_PAYLOAD) {
            frame.release();
            promise.setFailure(new IllegalArgumentException(
                    opcodeName(frame.opcode()) + " frame payload is " + length + " bytes, at most "
                    + MAX_CONTROL_PAYLOAD + " are allowed"));
            return;
        }
        int firstByte = (frame.isFinal() ? B0_FLAG_FIN : 0) | (frame.isCompressed() ? B0_FLAG_RSV1 : 0)
                | frame.opcode();
        int headerLength = (length <= PAYLOAD_SHORT_MAX ? 2 : length <= PAYLOAD_MEDIUM_MAX ? 4 : 10) + (masking ? 4 : 0);
        if (!masking && length > COPY_THRESHOLD) {
            ByteBuf header = buffers.append(ctx, headerLength);
            if (header != null) {
                writeHeader(header, firstByte, length);
                buffers.appended(headerPromise(ctx));
                buffers.endRun(ctx);
            } else {
                ctx.write(writeHeader(ctx.alloc().buffer(headerLength, headerLength), firstByte, length),
                        headerPromise(ctx));
            }
            // The frame's reference to the payload passes to the second write, which releases it.
            ctx.write(payload, promise);
            return;
        }
        ByteBuf out = buffers.append(ctx, headerLength + length);
        boolean inRun = out != null;
        if (!inRun) {
            buffers.endRun(ctx);
            out = ctx.alloc().buffer(headerLength + length, headerLength + length);
        }
        int start = out.writerIndex();
        if (!masking && BufferCopy.putHeaderAndCopy(out, start, shortHeader(firstByte, length), headerLength,
                payload, payload.readerIndex(), length)) {
            // The hot path of small server frames: one range check for header and payload, no per-byte-group checks.
            out.writerIndex(start + headerLength + length);
        } else {
            writeHeader(out, firstByte, length);
            int at = out.writerIndex();
            if (masking) {
                int mask = MaskingKeys.next();
                out.writeInt(mask);
                at += 4;
                Masking.copyMasked(payload, payload.readerIndex(), out, at, length, mask);
            } else {
                BufferCopy.copy(payload, payload.readerIndex(), out, at, length);
            }
            out.writerIndex(at + length);
        }
        frame.release();
        if (inRun) {
            buffers.appended(promise);
        } else {
            ctx.write(out, promise);
        }
    }

    /** Writes an already encoded server frame as it is; a client's frames must be masked, so it refuses one. */
    private void writeEncoded(ChannelHandlerContext ctx, EncodedFrame frame, ChannelPromise promise) {
        if (masking) {
            frame.release();
            promise.setFailure(new IllegalStateException(
                    "an EncodedFrame is unmasked and cannot be sent by a client, which must mask every frame"));
            return;
        }
        ctx.write(frame.content(), promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        FrameBuffers.current().endRun(ctx);
        ctx.flush();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // What this channel wrote still goes out (or is released by a closed channel).
        FrameBuffers.current().endRun(ctx);
    }

    /**
     * Completes a header write silently; a failure also fails the payload write, which reports it. One per large
     * frame: kept per channel it would cost every connection a field, and most never send a large frame.
     */
    private static ChannelPromise headerPromise(ChannelHandlerContext ctx) {
        return new VoidChannelPromise(ctx.channel(), false);
    }

    /** An unmasked header with a 7- or 16-bit length (a frame of at most 64 KiB), big-endian in the low bytes. */
    private static int shortHeader(int firstByte, int length) {
        return length <= PAYLOAD_SHORT_MAX ? (firstByte << 8) | length
                : (firstByte << 24) | (PAYLOAD_LENGTH_16 << 16) | length;
    }

    /** Writes the first byte, the mask bit and the length in the shortest form, as one wide write. */
    private ByteBuf writeHeader(ByteBuf out, int firstByte, int length) {
        int maskBit = masking ? B1_FLAG_MASK : 0;
        if (length <= PAYLOAD_SHORT_MAX) {
            out.writeShort((firstByte << 8) | maskBit | length);
        } else if (length <= PAYLOAD_MEDIUM_MAX) {
            out.writeInt((firstByte << 24) | ((maskBit | PAYLOAD_LENGTH_16) << 16) | length);
        } else {
            out.writeShort((firstByte << 8) | maskBit | PAYLOAD_LENGTH_64);
            out.writeLong(length);
        }
        return out;
    }
}
