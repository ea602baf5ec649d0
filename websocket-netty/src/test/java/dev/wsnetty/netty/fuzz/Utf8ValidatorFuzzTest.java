package dev.wsnetty.netty.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wsnetty.netty.internal.codec.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our incremental {@link Utf8Validator} against the JDK's UTF-8 decoder (with {@link CodingErrorAction#REPORT}):
 * the same verdict for a whole input, the same verdict when the input is fed in pieces cut where the fuzzer
 * chooses, and the same fail-fast point: {@code update} must return {@code false} for exactly the first piece
 * that contains the byte from which no valid UTF-8 can follow, as the JDK decoder finds it on prefixes.
 *
 * <p>The fuzzer also chooses how the bytes are held (heap, direct, or a composite of two parts, which takes the
 * validator's three scanning paths) and where they sit in the buffer (an offset, with 0xFF guard bytes around, so
 * that a read outside the given range changes the verdict).
 *
 * <p>Input layout (Jazzer's {@link FuzzedDataProvider}, numbers from the end): the buffer kind, the offset, the
 * pieces ({@link Reads}); then the text. In the default build this replays the committed inputs
 * under {@code Utf8ValidatorFuzzTestInputs/}; {@code -Pfuzz} fuzzes it (see RELIABILITY.md).
 */
class Utf8ValidatorFuzzTest {
    static final int MAX_CUTS = 8;
    private static final int MAX_OFFSET = 15;
    /**
     * What can follow a prefix that ends inside a code point: up to three continuation bytes, the first of which may
     * have to be at least 90 (after F0) or A0 (after E0); 80 suits every other lead byte.
     */
    private static final byte[][] ENDINGS = endings();

    @FuzzTest
    void agreesWithTheJdkDecoder(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 2);
        int offset = data.consumeInt(0, MAX_OFFSET);
        List<byte[]> pieces = Reads.take(data, MAX_CUTS);
        byte[] text = concat(pieces);

        int failFast = firstUnfinishablePrefix(text);
        boolean valid = decodes(text);
        ByteBuf buf = hold(text, kind, offset);
        try {
            assertEquals(valid, Utf8Validator.isValid(buf, offset, text.length), "whole input");

            Utf8Validator validator = new Utf8Validator();
            int start = 0;
            for (byte[] piece : pieces) {
                int end = start + piece.length;
                boolean ok = validator.update(buf, offset + start, end - start);
                // Failed once a piece has reached the byte that makes the prefix unfinishable, and not before.
                boolean expectedOk = failFast < 0 || end < failFast;
                assertEquals(expectedOk, ok, "piece [" + start + ", " + end + ") of " + text.length
                        + ", first unfinishable prefix " + failFast);
                start = end;
            }
            assertEquals(valid, validator.isComplete(), "incremental, complete");
        } finally {
            buf.release();
        }
    }

    /**
     * The length of the shortest prefix that no bytes can complete to valid UTF-8, by the JDK's verdict on the prefix
     * followed by each of the few endings that can complete a code point; -1 when the whole input can be completed.
     * (The JDK's decoder fed a prefix alone is no oracle: it lets "ED A0", the start of a surrogate, pass until its
     * third byte.) Prefixes only get worse, hence the bisection.
     */
    private static int firstUnfinishablePrefix(byte[] text) {
        if (finishable(text, text.length)) {
            return -1;
        }
        int low = 0; // finishable
        int high = text.length; // unfinishable
        while (high - low > 1) {
            int mid = (low + high) >>> 1;
            if (finishable(text, mid)) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    /** Whether the first {@code length} bytes of {@code text} followed by one of {@link #ENDINGS} are valid UTF-8. */
    private static boolean finishable(byte[] text, int length) {
        for (byte[] ending : ENDINGS) {
            byte[] candidate = Arrays.copyOf(text, length + ending.length);
            System.arraycopy(ending, 0, candidate, length, ending.length);
            if (decodes(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] endings() {
        byte[][] endings = new byte[10][];
        endings[0] = new byte[0];
        int i = 1;
        for (int first : new int[] {0x80, 0x90, 0xA0}) {
            for (int length = 1; length <= 3; length++) {
                byte[] ending = new byte[length];
                Arrays.fill(ending, (byte) 0x80);
                ending[0] = (byte) first;
                endings[i++] = ending;
            }
        }
        return endings;
    }

    /** Whether the JDK decodes {@code bytes} as complete UTF-8 without error. */
    private static boolean decodes(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(ByteBuffer.wrap(bytes), out, true);
        return !result.isError() && !decoder.flush(out).isError();
    }

    private static byte[] concat(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The text at {@code offset} in a buffer of the given kind, between 0xFF guard bytes. */
    private static ByteBuf hold(byte[] text, int kind, int offset) {
        byte[] guarded = new byte[offset + text.length + 8];
        Arrays.fill(guarded, (byte) 0xFF);
        System.arraycopy(text, 0, guarded, offset, text.length);
        switch (kind) {
            case 0:
                return Unpooled.wrappedBuffer(guarded);
            case 1:
                return Unpooled.directBuffer(guarded.length).writeBytes(guarded);
            default:
                int half = guarded.length / 2;
                CompositeByteBuf composite = Unpooled.compositeBuffer();
                composite.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOf(guarded, half)));
                composite.addComponent(true, Unpooled.directBuffer(guarded.length - half)
                        .writeBytes(guarded, half, guarded.length - half));
                return composite;
        }
    }
}
