package dev.wsnetty.bench.codec;

import dev.wsnetty.netty.internal.codec.Masking;
import dev.wsnetty.netty.internal.codec.Utf8Validator;
import io.netty.buffer.ByteBuf;

/**
 * The one place where the benchmarks reach our codec's kernels: {@link Masking} and {@link Utf8Validator}.
 */
public final class OurKernels {
    private OurKernels() {
    }

    /**
     * XORs {@code length} bytes at {@code index} with the masking key {@code mask} (big-endian, as on the
     * wire: the first payload byte is XORed with the key's high byte).
     */
    public static void maskInPlace(ByteBuf buf, int index, int length, int mask) {
        Masking.unmaskInPlace(buf, index, length, mask);
    }

    /** A new reusable validator of whole text messages, as one connection would hold. */
    public static Utf8Check newUtf8Check() {
        Utf8Validator validator = new Utf8Validator();
        return (buf, index, length) -> {
            validator.reset();
            return validator.update(buf, index, length) && validator.isComplete();
        };
    }

    /** Validates one whole message as UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF). */
    @FunctionalInterface
    public interface Utf8Check {
        /** Whether the {@code length} bytes at {@code index} are a complete, valid UTF-8 sequence. */
        boolean isValid(ByteBuf buf, int index, int length);
    }
}
