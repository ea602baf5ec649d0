package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.ByteBuffer;

/**
 * Reads the frames a fan-out server sends one subscriber and checks every byte of every message, without copying,
 * however the server fragmented it and however the bytes were split across reads: the first
 * {@link FanoutLoad#STAMP_BYTES} payload bytes are the publisher's stamp (sequence number, then send time, both
 * big-endian longs), handed to the {@link Listener} with each whole message; the rest must equal the template's
 * bytes at the same offsets. A server Close frame is noted; pings and pongs are skipped.
 */
final class FanoutChecker {
    private static final int VECTOR_COMPARE_FROM = 16;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;

    /** Receives each message once all its bytes have been checked. */
    interface Listener {
        /** A whole message with its stamp. */
        void message(long sequence, long sentNanos);
    }

    private final ByteBuf template;
    /** This checker's own view of {@code template}: its position and limit are moved for every comparison. */
    private final ByteBuffer templateView;
    private final int opcode;
    private final int size;

    private final byte[] header = new byte[10];
    private int headerHave;
    private int headerNeed = 2;
    private long payloadLeft;
    private boolean inPayload;
    private boolean control;
    private boolean closeFrame;
    private boolean fin;
    private boolean inMessage;
    private int messageOffset;
    /** The stamp's bytes read so far, as one 128-bit big-endian number in two longs. */
    private long sequence;
    private long sentNanos;
    private int closeCode = -1;
    private int closeCodeBytes;

    /**
     * @param template the payload every message carries after its stamp (read concurrently by others, not modified)
     * @param opcode the opcode of the messages published
     */
    FanoutChecker(ByteBuf template, int opcode) {
        this.template = template;
        this.templateView = template.nioBuffer();
        this.opcode = opcode;
        this.size = template.readableBytes();
    }

    /**
     * Consumes all readable bytes of {@code in}, telling {@code listener} of each whole message.
     *
     * @throws IllegalStateException when the server sent something else than the messages published, saying what
     */
    void read(ByteBuf in, Listener listener) {
        while (in.isReadable()) {
            if (!inPayload) {
                while (headerHave < headerNeed && in.isReadable()) {
                    header[headerHave++] = in.readByte();
                    if (headerHave == 2) {
                        int len7 = header[1] & 0x7F;
                        headerNeed = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
                    }
                }
                if (headerHave < headerNeed) {
                    return;
                }
                startFrame(header[0] & 0xFF, header[1] & 0xFF, collectedLength());
            } else {
                int n = (int) Math.min(in.readableBytes(), payloadLeft);
                if (closeFrame) {
                    readCloseCode(in, n);
                } else if (!control) {
                    checkPayload(in, n);
                }
                in.skipBytes(n);
                payloadLeft -= n;
            }
            if (payloadLeft == 0) {
                endFrame(listener);
            }
        }
    }

    /** The code of the Close frame the server sent: 1005 when it had none, -1 while none was received. */
    int closeCode() {
        return closeCode;
    }

    /** Takes the stamp bytes among the next {@code n}, compares the others with the template. */
    private void checkPayload(ByteBuf in, int n) {
        int at = in.readerIndex();
        int end = at + n;
        while (at < end && messageOffset < FanoutLoad.STAMP_BYTES) {
            int b = in.getUnsignedByte(at++);
            if (messageOffset < 8) {
                sequence = (sequence << 8) | b;
            } else {
                sentNanos = (sentNanos << 8) | b;
            }
            messageOffset++;
        }
        int rest = end - at;
        if (rest > 0) {
            if (!sameAsTemplate(in, at, rest)) {
                throw new IllegalStateException("message " + sequence + ": bytes differ from those published, "
                        + "within message bytes " + messageOffset + ".." + (messageOffset + rest));
            }
            messageOffset += rest;
        }
    }

    private boolean sameAsTemplate(ByteBuf in, int index, int n) {
        if (n < VECTOR_COMPARE_FROM || in.nioBufferCount() != 1) {
            return ByteBufUtil.equals(in, index, template, messageOffset, n);
        }
        templateView.clear().position(messageOffset).limit(messageOffset + n);
        return in.internalNioBuffer(index, n).mismatch(templateView) == -1;
    }

    private long collectedLength() {
        long length = header[1] & 0x7F;
        if (length == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        } else if (length == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
        }
        return length;
    }

    private void startFrame(int b0, int b1, long length) {
        if ((b1 & 0x80) != 0) {
            throw new IllegalStateException("server frame is masked");
        }
        if ((b0 & 0x70) != 0) {
            throw new IllegalStateException("server frame has RSV bits set");
        }
        if (length < 0) {
            throw new IllegalStateException("server frame's 64-bit length has the most significant bit set");
        }
        int frameOpcode = b0 & 0x0F;
        fin = (b0 & 0x80) != 0;
        control = frameOpcode >= 0x8;
        closeFrame = frameOpcode == CLOSE;
        if (closeFrame) {
            closeCode = 1005;
            closeCodeBytes = 0;
        } else if (!control) {
            int wanted = inMessage ? CONTINUATION : opcode;
            if (frameOpcode != wanted) {
                throw new IllegalStateException("server sent opcode " + frameOpcode + ", expected " + wanted);
            }
            if (messageOffset + length > size) {
                throw new IllegalStateException("message longer than the " + size + " bytes published");
            }
            inMessage = true;
        }
        payloadLeft = length;
        inPayload = true;
    }

    private void readCloseCode(ByteBuf in, int n) {
        for (int i = 0; i < n && closeCodeBytes < 2; i++, closeCodeBytes++) {
            int b = in.getUnsignedByte(in.readerIndex() + i);
            closeCode = closeCodeBytes == 0 ? b : ((closeCode << 8) | b);
        }
    }

    private void endFrame(Listener listener) {
        inPayload = false;
        headerHave = 0;
        headerNeed = 2;
        if (control || !fin) {
            return;
        }
        if (messageOffset != size) {
            throw new IllegalStateException("message of " + messageOffset + " bytes, " + size + " were published");
        }
        inMessage = false;
        messageOffset = 0;
        listener.message(sequence, sentNanos);
        sequence = 0;
        sentNanos = 0;
    }
}
