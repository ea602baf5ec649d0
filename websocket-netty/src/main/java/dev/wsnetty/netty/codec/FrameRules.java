package dev.wsnetty.netty.codec;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.internal.Durations;
import dev.wsnetty.netty.internal.codec.Utf8Validator;
import io.netty.buffer.ByteBuf;

import static dev.wsnetty.WebSocketProtocol.B0_FLAG_FIN;
import static dev.wsnetty.WebSocketProtocol.B0_FLAG_RSV1;
import static dev.wsnetty.WebSocketProtocol.B0_MASK_OPCODE;
import static dev.wsnetty.WebSocketProtocol.B0_MASK_RSV;
import static dev.wsnetty.WebSocketProtocol.B1_FLAG_MASK;
import static dev.wsnetty.WebSocketProtocol.B1_MASK_LENGTH;
import static dev.wsnetty.WebSocketProtocol.MAX_CONTROL_PAYLOAD;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_LENGTH_16;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_LENGTH_64;
import static dev.wsnetty.WebSocketProtocol.PAYLOAD_MEDIUM_MAX;

/**
 * The rules a received frame must follow (RFC 6455 §5.2–§5.5, §8.1) and the configured size limits, as one
 * chain of checks without I/O: header fields and message state in, nothing out when the frame may be read,
 * and when it may not, a {@link WebSocketProtocolException} whose type carries the close code.
 *
 * <p>The checks run in the order the frame arrives, so a bad frame fails as early as possible:
 * {@link #checkFirstTwoBytes} as soon as two header bytes are there (before the rest of the header),
 * {@link #checkLength} once the extended length is read, and the payload rules once the bytes they need
 * are there. Within a step the rules run in the order of the table. A frame that follows every rule costs
 * a few compares and no allocation; an exception is made only for a violation.
 *
 * <table>
 *   <caption>Rules, in the order they are checked</caption>
 *   <tr><th>rule</th><th>violation</th><th>close reason</th></tr>
 *   <tr><td>§5.2: RSV1-3 are 0 (no extension is negotiated)</td><td>{@link ProtocolErrorException}</td>
 *       <td>reserved bits set but no extension negotiated</td></tr>
 *   <tr><td>RFC 7692 §6.1: with permessage-deflate, RSV1 only on the first frame of a data message (RSV2-3
 *       still 0)</td><td>{@link ProtocolErrorException}</td><td>RSV1 set on a continuation frame / RSV1 set on
 *       a ping frame</td></tr>
 *   <tr><td>§5.2: the opcode is defined</td><td>{@link ProtocolErrorException}</td><td>reserved opcode 3</td></tr>
 *   <tr><td>§5.1: clients mask, servers do not</td><td>{@link ProtocolErrorException}</td>
 *       <td>client frame is not masked / server frame is masked</td></tr>
 *   <tr><td>§5.5: a control frame has FIN set</td><td>{@link ProtocolErrorException}</td>
 *       <td>fragmented ping frame</td></tr>
 *   <tr><td>§5.5: a control frame has at most 125 bytes</td><td>{@link ProtocolErrorException}</td>
 *       <td>ping frame payload over 125 bytes</td></tr>
 *   <tr><td>§5.5.1: a Close payload is empty or has a 2-byte code</td><td>{@link ProtocolErrorException}</td>
 *       <td>close frame payload of 1 byte</td></tr>
 *   <tr><td>§5.4: a continuation only inside a fragmented message, a new message only outside one</td>
 *       <td>{@link ProtocolErrorException}</td><td>continuation frame without a message to continue /
 *       new message before the fragmented one ended</td></tr>
 *   <tr><td>§5.2: the length in its shortest form, at most 63 bits</td><td>{@link ProtocolErrorException}</td>
 *       <td>length 125 not in its shortest form / 64-bit length with the most significant bit set</td></tr>
 *   <tr><td>{@link WebSocketConfig#maxFrameSize()}</td><td>{@link MessageTooBigException}</td>
 *       <td>frame of 70000 bytes exceeds the limit of 65536</td></tr>
 *   <tr><td>{@link WebSocketConfig#maxMessageSize()}, counted from the headers of the message's frames (a
 *       compressed message's frames and total may be {@link #compressedLimit} of the limits)</td>
 *       <td>{@link MessageTooBigException}</td><td>message of 70000 bytes or more exceeds the limit of 65536</td></tr>
 *   <tr><td>{@link WebSocketConfig#maxFramesPerMessage()}, counted at each continuation frame's header</td>
 *       <td>{@link PolicyViolationException}</td><td>message of more than 4096 frames</td></tr>
 *   <tr><td>§8.1: text is UTF-8, checked as it arrives</td><td>{@link InvalidPayloadException}</td>
 *       <td>text is not valid UTF-8 / text ends inside a UTF-8 sequence</td></tr>
 *   <tr><td>§7.4: a Close code may be sent</td><td>{@link ProtocolErrorException}</td><td>invalid close code 1005</td></tr>
 *   <tr><td>§5.5.1: a Close reason is UTF-8</td><td>{@link InvalidPayloadException}</td>
 *       <td>close reason is not valid UTF-8</td></tr>
 *   <tr><td>{@link WebSocketConfig#frameTimeout()}, checked by the decoder's deadline timer</td>
 *       <td>{@link PolicyViolationException}</td><td>frame not complete within 30 s</td></tr>
 *   <tr><td>{@link WebSocketConfig#messageTimeout()}, likewise</td><td>{@link PolicyViolationException}</td>
 *       <td>fragmented message not complete within 60 s</td></tr>
 * </table>
 *
 * <p>A count of frames rather than a size: empty continuation frames cost a header's work each and no bytes, so
 * the size limits (1009) never stop them; bounding the work of one message is a policy of this end, hence 1008.
 */
final class FrameRules {
    /** The header's first two bytes as one unsigned short: FIN, RSV1-3 and opcode, then MASK and the 7-bit length. */
    private static final int FIN = B0_FLAG_FIN << 8;
    private static final int RSV = B0_MASK_RSV << 8;
    private static final int RSV1 = B0_FLAG_RSV1 << 8;

    private FrameRules() {
    }

    /**
     * Checks what the first two header bytes tell: reserved bits, opcode, masking, the control frame rules
     * and the order of fragments.
     *
     * @param firstTwo     the first two header bytes as an unsigned short
     * @param expectMasked whether frames must be masked (this end is the server)
     * @param messageOpen  whether a fragmented data message is in progress (its final frame is still to come)
     * @param rsv1Allowed  whether permessage-deflate was negotiated, so that RSV1 marks a compressed message
     * @throws ProtocolErrorException if a rule is broken
     */
    static void checkFirstTwoBytes(int firstTwo, boolean expectMasked, boolean messageOpen, boolean rsv1Allowed) {
        if ((firstTwo & RSV) != 0) {
            checkReservedBits(firstTwo, rsv1Allowed); // off the common path: one compare when no bit is set
        }
        int opcode = (firstTwo >>> 8) & B0_MASK_OPCODE;
        if (!WebSocketProtocol.isDefinedOpcode(opcode)) {
            throw new ProtocolErrorException("reserved opcode " + opcode);
        }
        boolean masked = (firstTwo & B1_FLAG_MASK) != 0;
        if (masked != expectMasked) {
            throw new ProtocolErrorException(masked ? "server frame is masked" : "client frame is not masked");
        }
        if (WebSocketProtocol.isControl(opcode)) {
            checkControlFrame(opcode, (firstTwo & FIN) != 0, firstTwo & B1_MASK_LENGTH);
        } else if ((opcode == WebSocketProtocol.OPCODE_CONTINUATION) != messageOpen) {
            // A continuation frame exactly when a fragmented message is open.
            throw new ProtocolErrorException(messageOpen ? "new message before the fragmented one ended"
                    : "continuation frame without a message to continue");
        }
    }

    private static void checkReservedBits(int firstTwo, boolean rsv1Allowed) {
        if (!rsv1Allowed || (firstTwo & RSV) != RSV1) {
            throw new ProtocolErrorException("reserved bits set but no extension negotiated");
        }
        int opcode = (firstTwo >>> 8) & B0_MASK_OPCODE;
        if (WebSocketProtocol.isDefinedOpcode(opcode)
                && (opcode == WebSocketProtocol.OPCODE_CONTINUATION || WebSocketProtocol.isControl(opcode))) {
            // RFC 7692 §6.1: the bit marks a compressed message on its first frame only.
            throw new ProtocolErrorException("RSV1 set on a " + WebSocketProtocol.opcodeName(opcode) + " frame");
        }
    }

    private static void checkControlFrame(int opcode, boolean fin, int shortLength) {
        if (!fin) {
            throw new ProtocolErrorException("fragmented " + WebSocketProtocol.opcodeName(opcode) + " frame");
        }
        if (shortLength > MAX_CONTROL_PAYLOAD) {
            throw new ProtocolErrorException(WebSocketProtocol.opcodeName(opcode) + " frame payload over "
                    + MAX_CONTROL_PAYLOAD + " bytes");
        }
        if (opcode == WebSocketProtocol.OPCODE_CLOSE && shortLength == 1) {
            throw new ProtocolErrorException("close frame payload of 1 byte");
        }
    }

    /**
     * Checks the payload length once the whole header is read: that it is in its shortest form and below
     * 2^63, and the frame and message limits. Runs after {@link #checkFirstTwoBytes}.
     *
     * @param firstTwo          the frame's first two header bytes, as {@link #checkFirstTwoBytes} took them
     * @param shortLength       the 7-bit length field: the length itself, or 126 or 127 for a 16- or 64-bit length
     * @param length            the payload length as read (the 64-bit form as a signed long)
     * @param messageLength     for a continuation frame, the bytes of its message so far (not counting this frame)
     * @param messageCompressed for a continuation frame, whether its message is compressed (RSV1 on its first
     *                          frame). A compressed message's limits have room for deflate's growth of incompressible
     *                          bytes; this is looked at only for a frame over a limit, so the common path is as cheap
     *                          as without compression
     * @param config            the frame and message size limits
     * @throws ProtocolErrorException  if the length is not encoded as RFC 6455 §5.2 requires
     * @throws MessageTooBigException if the frame or its message is over a limit
     */
    static void checkLength(int firstTwo, int shortLength, long length, int messageLength,
                            boolean messageCompressed, WebSocketConfig config) {
        if (shortLength >= PAYLOAD_LENGTH_16) {
            checkExtendedLength(shortLength, length);
        }
        int opcode = (firstTwo >>> 8) & B0_MASK_OPCODE;
        int maxFrameSize = config.maxFrameSize();
        if (length > maxFrameSize) {
            checkCompressedLength("frame of " + length + " bytes", length, maxFrameSize,
                    compressed(opcode, firstTwo, messageCompressed));
        }
        if (!WebSocketProtocol.isControl(opcode)) {
            long total = opcode == WebSocketProtocol.OPCODE_CONTINUATION ? messageLength + length : length;
            int maxMessageSize = config.maxMessageSize();
            if (total > maxMessageSize) {
                checkCompressedLength("message of " + total + " bytes or more", total, maxMessageSize,
                        compressed(opcode, firstTwo, messageCompressed));
            }
        }
    }

    private static boolean compressed(int opcode, int firstTwo, boolean messageCompressed) {
        return opcode == WebSocketProtocol.OPCODE_CONTINUATION ? messageCompressed
                : (firstTwo & (B0_FLAG_RSV1 << 8)) != 0;
    }

    /**
     * For a size over {@code limit}: passes a compressed one within {@link #compressedLimit}, refuses the rest.
     *
     * @param what what is too big, for the reason, e.g. "frame of 70000 bytes"
     */
    private static void checkCompressedLength(String what, long size, int limit, boolean compressed) {
        if (!compressed) {
            throw new MessageTooBigException(what + " exceeds the limit of " + limit);
        }
        long allowed = compressedLimit(limit);
        if (size > allowed) {
            throw new MessageTooBigException("compressed " + what + " exceeds the limit of " + allowed + " ("
                    + limit + " and room for deflate's growth)");
        }
    }

    /**
     * The compressed size allowed for a limit: a message of {@code limit} incompressible bytes grows when
     * deflated, by 5 bytes per stored block of at most 65,535 bytes with zlib and the encoders browsers use
     * (under 0.01 %); 1/256 and 64 bytes more leave room for any encoder that falls back to stored blocks.
     * What the message inflates to is held to the limit itself, by the inflater. At most {@code Integer.MAX_VALUE}:
     * the decoder counts a frame's and a message's bytes in ints.
     */
    static long compressedLimit(int limit) {
        return Math.min(Integer.MAX_VALUE, (long) limit + (limit >>> 8) + 64);
    }

    private static void checkExtendedLength(int shortLength, long length) {
        if (shortLength == PAYLOAD_LENGTH_64 && length < 0) {
            throw new ProtocolErrorException("64-bit length with the most significant bit set");
        }
        // The 16-bit form is for 126 to 65535 bytes, the 64-bit form for more.
        if (length < PAYLOAD_LENGTH_16 || (shortLength == PAYLOAD_LENGTH_64 && length <= PAYLOAD_MEDIUM_MAX)) {
            throw new ProtocolErrorException("length " + length + " not in its shortest form");
        }
    }

    /**
     * Checks a whole Close payload (RFC 6455 §5.5.1, §7.4): empty, or a code that may be sent followed by a
     * UTF-8 reason. A 1-byte payload was refused from the header already.
     *
     * @param payload the unmasked payload, read between its reader and writer index (not moved)
     * @throws ProtocolErrorException  if the code may not be sent
     * @throws InvalidPayloadException if the reason is not valid UTF-8
     */
    static void checkClosePayload(ByteBuf payload) {
        int length = payload.readableBytes();
        if (length == 0) {
            return;
        }
        int code = payload.getUnsignedShort(payload.readerIndex());
        if (!CloseCodes.isValidOnWire(code)) {
            throw new ProtocolErrorException("invalid close code " + code);
        }
        if (!Utf8Validator.isValid(payload, payload.readerIndex() + 2, length - 2)) {
            throw new InvalidPayloadException("close reason is not valid UTF-8");
        }
    }

    /**
     * Checks the number of frames of the message so far against {@link WebSocketConfig#maxFramesPerMessage()}.
     *
     * @param frames the message's frames including the one whose header was just read
     * @throws PolicyViolationException if there are more than the limit
     */
    static void checkFrameCount(int frames, WebSocketConfig config) {
        int max = config.maxFramesPerMessage();
        if (frames > max) {
            throw new PolicyViolationException("message of more than " + max + " frames");
        }
    }

    /** The violation of a frame not complete within {@link WebSocketConfig#frameTimeout()} of its first byte. */
    static PolicyViolationException frameTooSlow(WebSocketConfig config) {
        return new PolicyViolationException("frame not complete within " + Durations.describe(config.frameTimeout()));
    }

    /** The violation of a fragmented message not complete within {@link WebSocketConfig#messageTimeout()}. */
    static PolicyViolationException messageTooSlow(WebSocketConfig config) {
        return new PolicyViolationException("fragmented message not complete within "
                + Durations.describe(config.messageTimeout()));
    }

    /** The violation of text bytes that are not UTF-8 (RFC 6455 §8.1), found by the message's validator. */
    static InvalidPayloadException invalidText() {
        return new InvalidPayloadException("text is not valid UTF-8");
    }

    /** The violation of a text message whose final frame ends inside a UTF-8 sequence (RFC 6455 §8.1). */
    static InvalidPayloadException unfinishedText() {
        return new InvalidPayloadException("text ends inside a UTF-8 sequence");
    }
}
