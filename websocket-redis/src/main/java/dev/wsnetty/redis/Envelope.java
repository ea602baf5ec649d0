package dev.wsnetty.redis;

import dev.wsnetty.MessageType;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of one message as the bridge publishes it to Redis, and reading them back.
 *
 * <pre>
 *  offset  size  field
 *  0       1     version: 1
 *  1       1     kind: 1 text, 2 binary (a topic message: the Redis channel names the topic);
 *                      3 text, 4 binary (a direct message: the target id follows)
 *  2       8     the publishing node's id, big-endian (a node skips its own topic messages: it served them
 *                locally when they were published)
 *  10      2     direct messages only: n, the length of the target id's UTF-8 bytes, big-endian
 *  12      n     direct messages only: the target id, UTF-8
 *  ...     rest  the payload (UTF-8 for text)
 * </pre>
 *
 * @param node    the publishing node's id
 * @param type    {@link MessageType#STRING} or {@link MessageType#BINARY}
 * @param target  the id a direct message is for; null for a topic message
 * @param payload the array holding the payload (the whole envelope)
 * @param offset  where the payload starts in it
 */
record Envelope(long node, MessageType type, String target, byte[] payload, int offset) {
    static final byte VERSION = 1;
    /** The bytes before a topic message's payload. */
    static final int HEADER = 10;
    private static final byte TEXT = 1;
    private static final byte BINARY = 2;
    private static final byte DIRECT_TEXT = 3;
    private static final byte DIRECT_BINARY = 4;

    /** The payload's length. */
    int length() {
        return payload.length - offset;
    }

    /** A topic message's envelope: {@code payload}'s readable bytes, copied, behind the header. */
    static byte[] topicMessage(long node, MessageType type, ByteBuf payload) {
        byte[] out = new byte[HEADER + payload.readableBytes()];
        header(out, type == MessageType.STRING ? TEXT : BINARY, node);
        payload.getBytes(payload.readerIndex(), out, HEADER, payload.readableBytes());
        return out;
    }

    /** A direct message's envelope for {@code target}. */
    static byte[] directMessage(long node, String target, MessageType type, byte[] payload) {
        byte[] id = target.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xFFFF) {
            throw new IllegalArgumentException("an id of " + id.length + " UTF-8 bytes exceeds the limit of 65535");
        }
        byte[] out = new byte[HEADER + 2 + id.length + payload.length];
        header(out, type == MessageType.STRING ? DIRECT_TEXT : DIRECT_BINARY, node);
        out[HEADER] = (byte) (id.length >>> 8);
        out[HEADER + 1] = (byte) id.length;
        System.arraycopy(id, 0, out, HEADER + 2, id.length);
        System.arraycopy(payload, 0, out, HEADER + 2 + id.length, payload.length);
        return out;
    }

    /**
     * Reads an envelope.
     *
     * @throws IllegalArgumentException saying what is wrong, for bytes that are not one
     */
    static Envelope read(byte[] in) {
        if (in.length < HEADER) {
            throw new IllegalArgumentException("an envelope of " + in.length + " bytes is shorter than its "
                    + HEADER + "-byte header");
        }
        if (in[0] != VERSION) {
            throw new IllegalArgumentException("envelope version " + in[0] + ", expected " + VERSION);
        }
        long node = 0;
        for (int i = 2; i < HEADER; i++) {
            node = node << 8 | (in[i] & 0xFF);
        }
        switch (in[1]) {
            case TEXT:
                return new Envelope(node, MessageType.STRING, null, in, HEADER);
            case BINARY:
                return new Envelope(node, MessageType.BINARY, null, in, HEADER);
            case DIRECT_TEXT:
            case DIRECT_BINARY:
                return direct(node, in);
            default:
                throw new IllegalArgumentException("unknown envelope kind " + in[1]);
        }
    }

    private static Envelope direct(long node, byte[] in) {
        if (in.length < HEADER + 2) {
            throw new IllegalArgumentException("a direct message's envelope of " + in.length + " bytes has no id");
        }
        int n = (in[HEADER] & 0xFF) << 8 | (in[HEADER + 1] & 0xFF);
        if (in.length < HEADER + 2 + n) {
            throw new IllegalArgumentException("an id of " + n + " bytes does not fit in an envelope of "
                    + in.length + " bytes");
        }
        String target = new String(in, HEADER + 2, n, StandardCharsets.UTF_8);
        MessageType type = in[1] == DIRECT_TEXT ? MessageType.STRING : MessageType.BINARY;
        return new Envelope(node, type, target, in, HEADER + 2 + n);
    }

    private static void header(byte[] out, byte kind, long node) {
        out[0] = VERSION;
        out[1] = kind;
        for (int i = 0; i < 8; i++) {
            out[2 + i] = (byte) (node >>> (56 - 8 * i));
        }
    }
}
