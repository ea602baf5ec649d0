package dev.wsnetty.bench.codec;

import io.netty.buffer.ByteBuf;

/**
 * The one place where the benchmarks reach our codec's kernels, so wiring them in is a local edit.
 *
 * <p>PLACEHOLDERS: {@code dev.wsnetty.netty.codec.Masking} and {@code dev.wsnetty.netty.codec.Utf8Validator}
 * are not merged yet. Until then these are deliberately naive byte-at-a-time reference implementations
 * (correct, and slow enough that a forgotten wiring shows up in the numbers); {@link #PLACEHOLDER} is
 * {@code true} and the benchmarks print a warning. Wiring: make {@link #maskInPlace} call
 * {@code Masking}, make {@link #newUtf8Check()} return a check that drives one {@code Utf8Validator}
 * over a whole message, then set {@link #PLACEHOLDER} to {@code false}.
 */
public final class OurKernels {
    /** Whether the methods below are still the stand-ins rather than our codec's kernels. */
    public static final boolean PLACEHOLDER = true;

    private OurKernels() {
    }

    /**
     * XORs {@code length} bytes at {@code index} with the masking key {@code mask} (big-endian, as on the
     * wire: the first payload byte is XORed with the key's high byte).
     */
    public static void maskInPlace(ByteBuf buf, int index, int length, int mask) {
        for (int i = 0; i < length; i++) {
            int shift = 24 - ((i & 3) << 3);
            buf.setByte(index + i, buf.getByte(index + i) ^ (mask >>> shift));
        }
    }

    /** A new reusable validator of whole text messages, as one connection would hold. */
    public static Utf8Check newUtf8Check() {
        return OurKernels::isValidUtf8ByteByByte;
    }

    /** The warning the benchmarks print while {@link #PLACEHOLDER} is set. */
    public static String placeholderWarning() {
        return "WARNING: OurKernels is still a PLACEHOLDER (byte-at-a-time reference code), the ours* scores "
                + "do not measure dev.wsnetty.netty.codec.Masking/Utf8Validator";
    }

    /** Validates one whole message as UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF). */
    @FunctionalInterface
    public interface Utf8Check {
        /** Whether the {@code length} bytes at {@code index} are a complete, valid UTF-8 sequence. */
        boolean isValid(ByteBuf buf, int index, int length);
    }

    private static boolean isValidUtf8ByteByByte(ByteBuf buf, int index, int length) {
        int end = index + length;
        int i = index;
        while (i < end) {
            int b = buf.getByte(i) & 0xFF;
            int extra;
            int min;
            if (b < 0x80) {
                i++;
                continue;
            } else if (b >= 0xC2 && b <= 0xDF) {
                extra = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                extra = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                extra = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + extra >= end) {
                return false;
            }
            int cp = b & (0x3F >> extra);
            for (int k = 1; k <= extra; k++) {
                int c = buf.getByte(i + k) & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += extra + 1;
        }
        return true;
    }
}
