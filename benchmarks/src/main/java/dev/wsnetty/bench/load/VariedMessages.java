package dev.wsnetty.bench.load;

import dev.wsnetty.bench.wire.DeflatedMessages;
import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.bench.wire.WireFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

/**
 * The messages of a compressed echo run ({@code --deflate}): {@value #COUNT} different payloads sent in turn, each
 * pre-encoded as a masked frame both plain and compressed on its own. Different payloads, because the same message
 * again and again would let a compressor with context takeover send a back-reference to the whole previous
 * message: {@value #COUNT} messages of 1 KiB are twice the 32 KiB window, so a message's previous copy is out of
 * reach and what context takeover gains is what real traffic gives it (field names, repeated values).
 */
final class VariedMessages {
    /** How many different messages are sent in turn. */
    static final int COUNT = 64;

    /** The payloads, in the order they are sent (and echoed). */
    final byte[][] payloads = new byte[COUNT][];
    /** Every message's masked frame, back to back; {@link #plainAt} marks where each starts. */
    private final ByteBuf plain;
    private final ByteBuf compressed;
    private final int[] plainAt = new int[COUNT + 1];
    private final int[] compressedAt = new int[COUNT + 1];

    /**
     * @param text whether the messages are text (varied JSON records) or binary (incompressible bytes)
     * @param size bytes per message
     * @param mask the masking key
     */
    VariedMessages(boolean text, int size, int mask) {
        byte[] all = text ? Payloads.textCorpus("json", COUNT * size) : Payloads.binary(COUNT * size, 42);
        int opcode = text ? WireFrames.TEXT : WireFrames.BINARY;
        ByteBuf plainFrames = Unpooled.directBuffer();
        ByteBuf compressedFrames = Unpooled.directBuffer();
        for (int i = 0; i < COUNT; i++) {
            payloads[i] = Arrays.copyOfRange(all, i * size, (i + 1) * size);
            plainFrames.writeBytes(WireFrames.masked(opcode, true, payloads[i], mask));
            compressedFrames.writeBytes(WireFrames.masked(opcode | DeflatedMessages.RSV1, true,
                    DeflatedMessages.compress(payloads[i]), mask));
            plainAt[i + 1] = plainFrames.writerIndex();
            compressedAt[i + 1] = compressedFrames.writerIndex();
        }
        plain = plainFrames;
        compressed = compressedFrames;
    }

    /** Message {@code index}'s frame, to write (a retained slice: the write releases it). */
    ByteBuf frame(int index, boolean compress) {
        int[] at = compress ? compressedAt : plainAt;
        return (compress ? compressed : plain).retainedSlice(at[index], at[index + 1] - at[index]);
    }

    /** The frames' average length on the wire, in bytes. */
    double averageFrameLength(boolean compress) {
        return (double) (compress ? compressedAt : plainAt)[COUNT] / COUNT;
    }

    /** Frees the frames; once every connection is done. */
    void release() {
        plain.release();
        compressed.release();
    }
}
