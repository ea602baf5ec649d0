package dev.wsnetty.netty.codec;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.WebSocketProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.ObjectUtil;

import java.nio.charset.StandardCharsets;

/**
 * One WebSocket frame, or one piece of a large frame, as it travels through the pipeline.
 *
 * <p>Inbound, the {@link FrameDecoder} emits these with payloads already unmasked and checked (UTF-8 of
 * text, close code and reason). A frame larger than {@code WebSocketConfig.streamingThreshold()} that
 * arrives over several reads may be emitted in pieces: the first piece keeps the frame's opcode, the
 * following ones are {@link WebSocketProtocol#OPCODE_CONTINUATION}, and only the last piece of the message has
 * {@link #isFinal()} set. Handlers therefore never need to know where the wire frames ended.
 *
 * <p>Outbound, write one to the {@link FrameEncoder}; a text or binary frame with {@code fin} set is a
 * whole message.
 *
 * <p><b>Compressed.</b> With permessage-deflate (RFC 7692) negotiated, the first frame of a compressed message has
 * RSV1 set ({@link #isCompressed()}); its continuation frames and control frames never do. Inbound, the
 * {@code PerMessageDeflateHandler} inflates such messages before any later handler sees them; outbound, it
 * compresses messages and sets the bit itself, so applications neither read nor set it.
 *
 * <p>Reference counting: a frame owns its {@link #content()}. Whoever receives one (a handler's
 * {@code channelRead}, or the encoder on write) must release it or pass it on.
 */
public final class WebSocketFrame extends DefaultByteBufHolder {
    private final byte opcode;
    private final boolean fin;
    /** RSV1 of permessage-deflate: a boolean next to the other two costs the object no extra bytes. */
    private final boolean compressed;

    /**
     * Creates a frame. {@code content} becomes owned by the frame.
     *
     * @param opcode one of {@link WebSocketProtocol}
     * @param fin whether this is the last frame of its message (always true for control frames)
     * @param content the unmasked payload
     */
    public WebSocketFrame(int opcode, boolean fin, ByteBuf content) {
        this(opcode, fin, false, content);
    }

    /**
     * Creates a frame that may carry RSV1 of permessage-deflate. {@code content} becomes owned by the frame.
     *
     * @param opcode     one of {@link WebSocketProtocol}
     * @param fin        whether this is the last frame of its message (always true for control frames)
     * @param compressed RSV1: the first frame of a message compressed with permessage-deflate (RFC 7692 §6);
     *                   only a text or binary frame may have it
     * @param content    the unmasked payload
     */
    public WebSocketFrame(int opcode, boolean fin, boolean compressed, ByteBuf content) {
        super(ObjectUtil.checkNotNull(content, "content"));
        if (!WebSocketProtocol.isDefinedOpcode(opcode)) {
            throw new IllegalArgumentException("undefined opcode: " + opcode);
        }
        if (WebSocketProtocol.isControl(opcode) && !fin) {
            throw new IllegalArgumentException("control frames cannot be fragmented: " + WebSocketProtocol.opcodeName(opcode));
        }
        if (compressed && opcode != WebSocketProtocol.OPCODE_TEXT && opcode != WebSocketProtocol.OPCODE_BINARY) {
            // RFC 7692 §6.1: RSV1 only on the first frame of a data message.
            throw new IllegalArgumentException("only the first frame of a text or binary message can be compressed,"
                    + " not " + WebSocketProtocol.opcodeName(opcode));
        }
        this.opcode = (byte) opcode;
        this.fin = fin;
        this.compressed = compressed;
    }

    /** A whole text message of {@code text} encoded as UTF-8. */
    public static WebSocketFrame text(String text) {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_TEXT, true, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** A text frame; {@code content} must be valid UTF-8 (across the fragments of the message). */
    public static WebSocketFrame text(ByteBuf content, boolean fin) {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_TEXT, fin, content);
    }

    /** A whole binary message. */
    public static WebSocketFrame binary(ByteBuf content) {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_BINARY, true, content);
    }

    /** A binary frame that may be the first of several. */
    public static WebSocketFrame binary(ByteBuf content, boolean fin) {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_BINARY, fin, content);
    }

    /** A continuation frame of a fragmented message. */
    public static WebSocketFrame continuation(ByteBuf content, boolean fin) {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_CONTINUATION, fin, content);
    }

    /** A ping; the payload must be at most 125 bytes. */
    public static WebSocketFrame ping(ByteBuf content) {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_PING, true, content);
    }

    /** A pong; the payload must be at most 125 bytes. */
    public static WebSocketFrame pong(ByteBuf content) {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_PONG, true, content);
    }

    /**
     * A close frame with a status code and a reason (which may be empty). The code must be one that
     * {@link CloseCodes#isValidOnWire(int)} accepts; the reason follows {@link WebSocketProtocol#closeReasonBytes}.
     *
     * @throws IllegalArgumentException if the code may not be sent or the reason is over 123 bytes of UTF-8
     */
    public static WebSocketFrame close(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        byte[] reasonBytes = WebSocketProtocol.closeReasonBytes(reason);
        ByteBuf payload = Unpooled.buffer(2 + reasonBytes.length);
        payload.writeShort(code).writeBytes(reasonBytes);
        return new WebSocketFrame(WebSocketProtocol.OPCODE_CLOSE, true, payload);
    }

    /** A close frame with no payload (status 1005 at the peer). */
    public static WebSocketFrame emptyClose() {
        return new WebSocketFrame(WebSocketProtocol.OPCODE_CLOSE, true, Unpooled.EMPTY_BUFFER);
    }

    /** The opcode, one of {@link WebSocketProtocol}. */
    public int opcode() {
        return opcode;
    }

    /** Whether this frame ends its message. */
    public boolean isFinal() {
        return fin;
    }

    /**
     * RSV1: whether this is the first frame of a message compressed with permessage-deflate (RFC 7692 §6). Inbound
     * it is only ever set where the extension was negotiated and before the deflate handler inflates the message.
     */
    public boolean isCompressed() {
        return compressed;
    }

    /** Whether this is a control frame (close, ping, pong). */
    public boolean isControl() {
        return WebSocketProtocol.isControl(opcode);
    }

    /** Whether the opcode is {@link WebSocketProtocol#OPCODE_TEXT}. */
    public boolean isText() {
        return opcode == WebSocketProtocol.OPCODE_TEXT;
    }

    /** Whether the opcode is {@link WebSocketProtocol#OPCODE_BINARY}. */
    public boolean isBinary() {
        return opcode == WebSocketProtocol.OPCODE_BINARY;
    }

    /** Whether the opcode is {@link WebSocketProtocol#OPCODE_CONTINUATION}. */
    public boolean isContinuation() {
        return opcode == WebSocketProtocol.OPCODE_CONTINUATION;
    }

    /** Whether the opcode is {@link WebSocketProtocol#OPCODE_CLOSE}. */
    public boolean isClose() {
        return opcode == WebSocketProtocol.OPCODE_CLOSE;
    }

    /** Whether the opcode is {@link WebSocketProtocol#OPCODE_PING}. */
    public boolean isPing() {
        return opcode == WebSocketProtocol.OPCODE_PING;
    }

    /** Whether the opcode is {@link WebSocketProtocol#OPCODE_PONG}. */
    public boolean isPong() {
        return opcode == WebSocketProtocol.OPCODE_PONG;
    }

    /** The payload decoded as UTF-8 (for text frames; for close frames use {@link #closeReason()}). */
    public String text() {
        return content().toString(StandardCharsets.UTF_8);
    }

    /** For a close frame: its status code, or {@link CloseCodes#NO_STATUS_RECEIVED} when it has none. */
    public int closeCode() {
        requireClose();
        ByteBuf c = content();
        return c.readableBytes() >= 2 ? c.getUnsignedShort(c.readerIndex()) : CloseCodes.NO_STATUS_RECEIVED;
    }

    /** For a close frame: its reason, or the empty string. */
    public String closeReason() {
        requireClose();
        ByteBuf c = content();
        return c.readableBytes() > 2
                ? c.toString(c.readerIndex() + 2, c.readableBytes() - 2, StandardCharsets.UTF_8)
                : "";
    }

    private void requireClose() {
        if (opcode != WebSocketProtocol.OPCODE_CLOSE) {
            throw new IllegalStateException("not a close frame: " + WebSocketProtocol.opcodeName(opcode));
        }
    }

    @Override
    public WebSocketFrame copy() {
        return replace(content().copy());
    }

    @Override
    public WebSocketFrame duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public WebSocketFrame retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public WebSocketFrame replace(ByteBuf content) {
        return new WebSocketFrame(opcode, fin, compressed, content);
    }

    @Override
    public WebSocketFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public WebSocketFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public WebSocketFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public WebSocketFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        ByteBuf c = content();
        String payload = c.refCnt() == 0 ? "released"
                : c.readableBytes() + " bytes" + (c.readableBytes() <= 32 && c.readableBytes() > 0
                        ? " " + ByteBufUtil.hexDump(c) : "");
        return "WebSocketFrame(" + WebSocketProtocol.opcodeName(opcode) + (fin ? ", fin" : "")
                + (compressed ? ", compressed" : "") + ", " + payload + ")";
    }
}
