package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;

/**
 * Reads the frames a server sends back and checks every byte of every echoed message against the
 * payload that was sent, without copying: the header is parsed as it arrives, payload bytes are
 * compared in place, whatever way the server fragmented the message and however the bytes were split
 * across reads. A server Close frame is noted, not treated as an echo; pings and pongs are skipped.
 */
final class EchoChecker implements EchoReader {
    /**
     * From this many bytes on, runs are compared through NIO views with {@link ByteBuffer#mismatch}, which the
     * JDK vectorizes: {@link ByteBufUtil#equals}, 8 bytes per step through the buffers' bounds-checked accessors,
     * took most of the load generator's Java time, in the 64 KiB echo (where the generator, not the server, then
     * set the pace) and even for 20-byte messages.
     */
    private static final int VECTOR_COMPARE_FROM = 16;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;

    private final ByteBuf expected;
    /** This checker's own view of {@code expected}: its position and limit are moved for every comparison. */
    private final ByteBuffer expectedView;
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
    private int closeCode = -1;
    private int closeCodeBytes;

    /**
     * @param expected the payload every message must carry (not modified, read concurrently by others)
     * @param opcode the opcode of the messages sent (text or binary)
     */
    EchoChecker(ByteBuf expected, int opcode) {
        this.expected = expected;
        this.expectedView = expected.nioBuffer();
        this.opcode = opcode;
        this.size = expected.readableBytes();
    }

    /**
     * Consumes all readable bytes of {@code in}.
     *
     * @return how many whole messages were completed
     * @throws IllegalStateException when the server sent something other than the echo, saying what
     */
    @Override
    public int read(ByteBuf in) {
        int completed = 0;
        while (in.isReadable()) {
            if (!inPayload) {
                if (headerHave == 0 && in.readableBytes() >= 10) {
                    readWholeHeader(in); // the common case, without copying the header byte by byte
                } else {
                    while (headerHave < headerNeed && in.isReadable()) {
                        header[headerHave++] = in.readByte();
                        if (headerHave == 2) {
                            headerNeed = 2 + extendedLengthBytes(header[1] & 0x7F);
                        }
                    }
                    if (headerHave < headerNeed) {
                        break;
                    }
                    startFrame(header[0] & 0xFF, header[1] & 0xFF, collectedLength());
                }
                if (payloadLeft == 0 && endFrame()) {
                    completed++;
                }
                continue;
            }
            int n = (int) Math.min(in.readableBytes(), payloadLeft);
            if (closeFrame) {
                readCloseCode(in, n);
            } else if (!control && !echoed(in, n)) {
                throw new IllegalStateException("echoed bytes differ from those sent, within message bytes "
                        + messageOffset + ".." + (messageOffset + n));
            }
            in.skipBytes(n);
            payloadLeft -= n;
            if (!control) {
                messageOffset += n;
            }
            if (payloadLeft == 0 && endFrame()) {
                completed++;
            }
        }
        return completed;
    }

    /** Whether the next {@code n} bytes of {@code in} are the next {@code n} bytes of the message sent. */
    private boolean echoed(ByteBuf in, int n) {
        if (n < VECTOR_COMPARE_FROM || in.nioBufferCount() != 1) {
            return ByteBufUtil.equals(in, in.readerIndex(), expected, messageOffset, n);
        }
        expectedView.clear().position(messageOffset).limit(messageOffset + n);
        return in.internalNioBuffer(in.readerIndex(), n).mismatch(expectedView) == -1;
    }

    /** The code of the Close frame the server sent: 1005 when it had none, -1 while none was received. */
    @Override
    public int closeCode() {
        return closeCode;
    }

    private static int extendedLengthBytes(int len7) {
        return len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    }

    /** A header that is all in {@code in} (it has at least 10 bytes, the most an unmasked header takes). */
    private void readWholeHeader(ByteBuf in) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        int len7 = b1 & 0x7F;
        long length = len7 == 126 ? in.readUnsignedShort() : len7 == 127 ? in.readLong() : len7;
        startFrame(b0, b1, length);
    }

    /** The payload length of the header collected in {@link #header}. */
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
                throw new IllegalStateException("echo longer than the " + size + " bytes sent");
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

    /** Ends the current frame; returns whether it completed a message. */
    private boolean endFrame() {
        inPayload = false;
        headerHave = 0;
        headerNeed = 2;
        if (control || !fin) {
            return false;
        }
        if (messageOffset != size) {
            throw new IllegalStateException("echo of " + messageOffset + " bytes, " + size + " were sent");
        }
        inMessage = false;
        messageOffset = 0;
        return true;
    }
}
