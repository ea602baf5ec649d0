package dev.wsnetty.bench.load;

import dev.wsnetty.bench.wire.DeflatedMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.zip.Inflater;

/**
 * Checks the echoes of a run that offered permessage-deflate: each message, whole, inflated when its first frame
 * has RSV1 (with one inflater kept across messages, reset per message when the server said
 * {@code server_no_context_takeover}), must be the next of the payloads sent in turn. Counts the bytes the echoed messages took on the
 * wire, headers included. Simpler and slower than {@link EchoChecker} (it collects each message), which is fine:
 * inflating costs the load generator far more.
 */
final class InflatingEchoChecker implements EchoReader {
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;

    private final byte[][] expected;
    /** The index in {@link #expected} of the next echo. */
    private int next;
    private final int opcode;
    private final boolean resetPerMessage;
    private final Inflater inflater = new Inflater(true);
    /** Bytes received and not yet parsed into a whole frame. */
    private final ByteBuf pending = Unpooled.buffer();
    /** The payload of the message being received, so far. */
    private final ByteBuf message = Unpooled.buffer();
    private final byte[] inflated;
    private boolean inMessage;
    private boolean compressed;
    private int closeCode = -1;
    private long wireBytes;
    private long echoes;

    /**
     * @param expected the payloads the messages carry, in turn (all of one size)
     * @param opcode   the opcode of the messages sent
     * @param answer   the server's Sec-WebSocket-Extensions answer
     */
    InflatingEchoChecker(byte[][] expected, int opcode, String answer) {
        this.expected = expected;
        this.opcode = opcode;
        this.resetPerMessage = DeflatedMessages.serverStartsEachMessageAfresh(answer);
        this.inflated = new byte[expected[0].length + 1];
    }

    @Override
    public int read(ByteBuf in) {
        pending.writeBytes(in);
        int completed = 0;
        while (pending.readableBytes() >= 2) {
            int start = pending.readerIndex();
            int first = pending.getUnsignedByte(start);
            int lengthCode = pending.getUnsignedByte(start + 1) & 0x7F;
            int headerLength = lengthCode < 126 ? 2 : lengthCode == 126 ? 4 : 10;
            if (pending.readableBytes() < headerLength) {
                break;
            }
            long length = lengthCode < 126 ? lengthCode
                    : lengthCode == 126 ? pending.getUnsignedShort(start + 2) : pending.getLong(start + 2);
            if (length > inflated.length + 1024L) {
                throw new IllegalStateException("frame of " + length + " bytes for a " + expected[0].length
                        + "-byte message");
            }
            if (pending.readableBytes() < headerLength + length) {
                break;
            }
            pending.skipBytes(headerLength);
            if (frame(first, pending.readSlice((int) length), headerLength)) {
                completed++;
            }
        }
        pending.discardReadBytes();
        return completed;
    }

    /** Takes one whole frame; whether it completed a message. */
    private boolean frame(int first, ByteBuf payload, int headerLength) {
        int frameOpcode = first & 0x0F;
        if (frameOpcode == CLOSE) {
            closeCode = payload.readableBytes() >= 2 ? payload.getUnsignedShort(payload.readerIndex()) : 1005;
            return false;
        }
        if (frameOpcode > CLOSE) {
            return false; // ping or pong
        }
        if (frameOpcode != CONTINUATION) {
            if (inMessage || frameOpcode != opcode) {
                throw new IllegalStateException("unexpected opcode " + frameOpcode);
            }
            inMessage = true;
            compressed = (first & DeflatedMessages.RSV1) != 0;
        } else if (!inMessage) {
            throw new IllegalStateException("continuation frame outside a message");
        }
        wireBytes += headerLength + payload.readableBytes();
        message.writeBytes(payload);
        if ((first & 0x80) == 0) {
            return false;
        }
        inMessage = false;
        check();
        message.clear();
        echoes++;
        return true;
    }

    private void check() {
        byte[] got;
        int length;
        if (compressed) {
            if (resetPerMessage) {
                inflater.reset();
            }
            length = DeflatedMessages.inflate(inflater, message.array(), message.readableBytes(), inflated);
            got = inflated;
        } else {
            length = message.readableBytes();
            got = message.array();
        }
        byte[] sent = expected[next];
        next = next + 1 == expected.length ? 0 : next + 1;
        if (length != sent.length || !Arrays.equals(got, 0, length, sent, 0, length)) {
            throw new IllegalStateException("echo of " + length + " bytes" + (compressed ? " (inflated)" : "")
                    + " differs from the " + sent.length + " bytes sent");
        }
    }

    @Override
    public int closeCode() {
        return closeCode;
    }

    /** The echoed messages' frames on the wire, in bytes, headers included. */
    long wireBytes() {
        return wireBytes;
    }

    /** The echoed messages checked. */
    long echoes() {
        return echoes;
    }

    /** Frees the inflater's native memory. */
    void end() {
        inflater.end();
    }
}
