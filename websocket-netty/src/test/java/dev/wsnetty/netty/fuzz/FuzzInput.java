package dev.wsnetty.netty.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Builds the input that makes a {@link FuzzedDataProvider} return chosen values, for the seed corpus: Jazzer's
 * provider takes numbers and booleans from the end of the input (the most significant byte first) and the
 * remaining bytes from the front, as libFuzzer's does. Record the values in the order the fuzz test consumes them,
 * then {@link #remaining} with the bytes it reads last.
 */
final class FuzzInput {
    /** The bytes numbers are taken from, in the order they are consumed (the input's end, backwards). */
    private final ByteArrayOutputStream consumedFromEnd = new ByteArrayOutputStream();

    /** A value for {@code consumeBoolean()}. */
    FuzzInput bool(boolean value) {
        consumedFromEnd.write(value ? 1 : 0);
        return this;
    }

    /** A value for {@code consumeInt(min, max)}: as many bytes as the range needs, most significant first. */
    FuzzInput intInRange(int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " is not in [" + min + ", " + max + "]");
        }
        long range = (long) max - min;
        long offset = (long) value - min;
        int bytes = 0;
        while (bytes < 4 && range >>> (8 * bytes) != 0) {
            bytes++;
        }
        for (int i = bytes - 1; i >= 0; i--) {
            consumedFromEnd.write((int) (offset >>> (8 * i)));
        }
        return this;
    }

    /** Cut places for {@link Reads#take}: read boundaries at these offsets of the remaining bytes. */
    FuzzInput cuts(List<Integer> offsets, int maxCuts) {
        intInRange(offsets.size(), 0, maxCuts);
        for (int offset : offsets) {
            intInRange(offset, 0, Integer.MAX_VALUE);
        }
        return this;
    }

    /** The whole input: {@code front} (what {@code consumeRemainingAsBytes()} returns), then the recorded values. */
    byte[] remaining(byte[] front) {
        byte[] values = consumedFromEnd.toByteArray();
        byte[] input = new byte[front.length + values.length];
        System.arraycopy(front, 0, input, 0, front.length);
        for (int i = 0; i < values.length; i++) {
            input[input.length - 1 - i] = values[i];
        }
        return input;
    }
}
