package dev.wsnetty.bench.codec;

import io.netty.buffer.ByteBuf;

/**
 * The masking loop Netty's {@code WebSocket08FrameDecoder} uses (private there), written out here as a
 * reference point: 8 bytes per step through {@code ByteBuf.getLong/setLong} (index and accessibility
 * checks on every call), one 4-byte step, then single bytes.
 */
public final class NettyStyleMasking {
    private NettyStyleMasking() {
    }

    /** XORs {@code length} bytes at {@code index} with {@code mask} (big-endian key, as on the wire). */
    public static void maskInPlace(ByteBuf buf, int index, int length, int mask) {
        long longMask = (mask & 0xFFFFFFFFL) | ((long) mask << 32);
        int i = index;
        int end = index + length;
        for (int stop = end - 7; i < stop; i += 8) {
            buf.setLong(i, buf.getLong(i) ^ longMask);
        }
        if (i < end - 3) {
            buf.setInt(i, buf.getInt(i) ^ mask);
            i += 4;
        }
        for (; i < end; i++) {
            int shift = 24 - (((i - index) & 3) << 3);
            buf.setByte(i, buf.getByte(i) ^ (mask >>> shift));
        }
    }
}
