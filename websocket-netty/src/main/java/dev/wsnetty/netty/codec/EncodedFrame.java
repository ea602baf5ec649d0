package dev.wsnetty.netty.codec;

import dev.wsnetty.WebSocketProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;

import static dev.wsnetty.WebSocketProtocol.B0_FLAG_FIN;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_LENGTH_16;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_LENGTH_64;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_MEDIUM_MAX;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_SHORT_MAX;

/**
 * A whole data frame as it goes on the wire from a server, header and payload, unmasked: what a message published to
 * many connections is encoded into once, so that every connection writes the same bytes. Written to a server
 * channel, it passes the {@code ProtocolHandler} as a data frame (refused once a Close was sent) and the
 * {@link FrameEncoder} writes its bytes as they are. A client must mask every frame: its encoder refuses one.
 *
 * <p>Sharing: {@link #encode} makes the one buffer; each channel gets {@code new EncodedFrame(frame.retainedDuplicate())},
 * its own indexes over the same memory. The frame owns its {@link #content()}.
 */
public final class EncodedFrame extends DefaultByteBufHolder {
    /**
     * Wraps bytes that hold exactly one complete, unmasked frame.
     *
     * @param frame the header and payload; owned by this object from now on
     */
    public EncodedFrame(ByteBuf frame) {
        super(frame);
    }

    /** The length of the payload: the frame's bytes less its header (2, 4 or 10 bytes). */
    public int payloadLength() {
        ByteBuf c = content();
        int marker = c.getByte(c.readerIndex() + 1) & 0x7f;
        int header = marker == PAYLOAD_LENGTH_16 ? 4 : marker == PAYLOAD_LENGTH_64 ? 10 : 2;
        return c.readableBytes() - header;
    }

    /**
     * Encodes a whole text message (FIN set) into a new buffer from {@code alloc}: header, then the UTF-8 bytes.
     *
     * @param alloc where the buffer comes from
     * @param text  the message
     */
    public static ByteBuf encodeText(ByteBufAllocator alloc, CharSequence text) {
        int length = ByteBufUtil.utf8Bytes(text);
        ByteBuf out = header(alloc, WebSocketProtocol.OPCODE_TEXT, length);
        ByteBufUtil.reserveAndWriteUtf8(out, text, length);
        return out;
    }

    /**
     * Encodes a whole message (FIN set) into a new buffer from {@code alloc}: header, then a copy of the payload.
     *
     * @param alloc   where the buffer comes from
     * @param opcode  {@link WebSocketProtocol#OPCODE_TEXT} (the payload must be valid UTF-8) or
     *                {@link WebSocketProtocol#OPCODE_BINARY}
     * @param payload the payload's readable bytes, copied; the caller keeps it
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int opcode, ByteBuf payload) {
        int length = payload.readableBytes();
        return header(alloc, opcode, length).writeBytes(payload, payload.readerIndex(), length);
    }

    /**
     * Encodes a whole message (FIN set) into a new buffer from {@code alloc}.
     *
     * @param alloc  where the buffer comes from
     * @param opcode {@link WebSocketProtocol#OPCODE_TEXT} or {@link WebSocketProtocol#OPCODE_BINARY}
     * @param data   the payload, copied
     * @param off    where it starts
     * @param len    its length
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int opcode, byte[] data, int off, int len) {
        return header(alloc, opcode, len).writeBytes(data, off, len);
    }

    /** A buffer with room for the whole frame, holding its header. */
    private static ByteBuf header(ByteBufAllocator alloc, int opcode, int length) {
        if (opcode != WebSocketProtocol.OPCODE_TEXT && opcode != WebSocketProtocol.OPCODE_BINARY) {
            throw new IllegalArgumentException("only text and binary messages are encoded whole, not "
                    + WebSocketProtocol.opcodeName(opcode));
        }
        int firstByte = B0_FLAG_FIN | opcode;
        int headerLength = length <= PAYLOAD_SHORT_MAX ? 2 : length <= PAYLOAD_MEDIUM_MAX ? 4 : 10;
        ByteBuf out = alloc.buffer(headerLength + length, headerLength + length);
        if (length <= PAYLOAD_SHORT_MAX) {
            out.writeShort((firstByte << 8) | length);
        } else if (length <= PAYLOAD_MEDIUM_MAX) {
            out.writeShort((firstByte << 8) | PAYLOAD_LENGTH_16);
            out.writeShort(length);
        } else {
            out.writeShort((firstByte << 8) | PAYLOAD_LENGTH_64);
            out.writeLong(length);
        }
        return out;
    }

    @Override
    public String toString() {
        return "EncodedFrame(" + content().readableBytes() + " bytes)";
    }
}
