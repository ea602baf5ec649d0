package dev.wsnetty.netty.internal.codec;

import dev.wsnetty.netty.codec.AutobahnUtf8Cases;
import dev.wsnetty.netty.testing.Bytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static dev.wsnetty.netty.testing.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8ValidatorTest {

    static Stream<Arguments> autobahnCases() {
        return Arrays.stream(AutobahnUtf8Cases.CASES).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("autobahnCases")
    void autobahnPayloadsWholeAndByteByByte(String id, String payloadHex, boolean valid) {
        byte[] payload = hex(payloadHex);
        for (ByteBuf buf : buffers(payload)) {
            try {
                assertEquals(valid, Utf8Validator.isValid(buf, buf.readerIndex(), payload.length), id + " whole");
                Utf8Validator v = new Utf8Validator();
                boolean ok = true;
                for (int i = 0; i < payload.length && ok; i++) {
                    ok = v.update(buf, buf.readerIndex() + i, 1);
                }
                assertEquals(valid, ok && v.isComplete(), id + " byte by byte");
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void failsAtTheFirstByteThatProvesTheInputInvalid() {
        // Autobahn 6.4.x: "κόσμε" then U+110000 (f4 90 80 80): the f4 is a valid prefix, the 90 is not.
        assertFirstFailure("cebae1bdb9cf83cebcceb5f4908080656469746564", 12);
        assertFirstFailure("eda080", 1);           // surrogate U+D800: proven by a0
        assertFirstFailure("e080af", 1);           // overlong: proven by 80 after e0
        assertFirstFailure("f08fbfbf", 1);         // overlong 4-byte
        assertFirstFailure("c0af", 0);             // c0 can only start an overlong
        assertFirstFailure("f5", 0);
        assertFirstFailure("41ff", 1);
        assertFirstFailure("c220", 1);             // lead byte followed by ASCII
        assertFirstFailure("e282", -1);            // valid but incomplete: no failure, just not complete
    }

    private static void assertFirstFailure(String payloadHex, int expectedIndex) {
        byte[] payload = hex(payloadHex);
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        Utf8Validator v = new Utf8Validator();
        int failedAt = -1;
        for (int i = 0; i < payload.length; i++) {
            if (!v.update(buf, i, 1)) {
                failedAt = i;
                break;
            }
        }
        assertEquals(expectedIndex, failedAt, payloadHex);
        if (failedAt >= 0) {
            assertFalse(v.update(buf, 0, 1), "failure is sticky");
            assertFalse(v.isComplete());
        }
        buf.release();
    }

    @Test
    void incompleteSequenceIsNotCompleteUntilFinished() {
        ByteBuf buf = Unpooled.wrappedBuffer(hex("f48fbfbf"));
        Utf8Validator v = new Utf8Validator();
        for (int i = 0; i < 3; i++) {
            assertTrue(v.update(buf, i, 1));
            assertFalse(v.isComplete());
        }
        assertTrue(v.update(buf, 3, 1));
        assertTrue(v.isComplete());
        v.reset();
        assertTrue(v.isComplete());
        assertTrue(v.update(buf, 0, 0), "empty update changes nothing");
        buf.release();
    }

    @Test
    void resetClearsFailure() {
        ByteBuf bad = Unpooled.wrappedBuffer(hex("ff"));
        Utf8Validator v = new Utf8Validator();
        assertFalse(v.update(bad, 0, 1));
        v.reset();
        assertTrue(v.isComplete());
        bad.release();
    }

    @Test
    void asciiFastPathFindsANonAsciiByteAtEveryPosition() {
        for (int len = 1; len <= 40; len++) {
            for (int at = 0; at < len; at++) {
                byte[] text = Bytes.repeat('a', len);
                text[at] = (byte) 0xFF;
                for (ByteBuf buf : buffers(text)) {
                    assertFalse(Utf8Validator.isValid(buf, buf.readerIndex(), len), len + "/" + at);
                    buf.release();
                }
                // A valid 2-byte sequence at the same place must pass.
                if (at + 1 < len) {
                    text[at] = (byte) 0xC3;
                    text[at + 1] = (byte) 0xA9;
                    for (ByteBuf buf : buffers(text)) {
                        assertTrue(Utf8Validator.isValid(buf, buf.readerIndex(), len), len + "/" + at + " é");
                        buf.release();
                    }
                }
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomInputSplitAnywhere() {
        // Bytes biased towards the interesting ones: ASCII, continuation bytes and every kind of lead byte.
        int[] alphabet = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
            0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF};
        Random random = new Random(7);
        for (int round = 0; round < 20000; round++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(3) == 0 ? 0x20 + random.nextInt(90) : alphabet[random.nextInt(alphabet.length)]);
            }
            boolean expected = jdkAccepts(bytes);
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            assertEquals(expected, Utf8Validator.isValid(buf, 0, bytes.length), () -> java.util.HexFormat.of().formatHex(bytes));
            int split = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            Utf8Validator v = new Utf8Validator();
            boolean ok = v.update(buf, 0, split) && v.update(buf, split, bytes.length - split) && v.isComplete();
            assertEquals(expected, ok, () -> "split at " + split + ": " + java.util.HexFormat.of().formatHex(bytes));
            buf.release();
        }
    }

    @Test
    void acceptsEveryScalarValueAndRejectsEverySurrogate() {
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
            byte[] bytes = surrogate ? encodeRaw(cp) : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            boolean valid = Utf8Validator.isValid(buf, 0, bytes.length);
            buf.release();
            if (valid == surrogate) {
                throw new AssertionError("U+" + Integer.toHexString(cp));
            }
        }
    }

    /** UTF-8's bit layout applied to any value, as a lenient encoder would (used for surrogates). */
    private static byte[] encodeRaw(int cp) {
        return new byte[] {(byte) (0xE0 | cp >>> 12), (byte) (0x80 | (cp >>> 6) & 0x3F), (byte) (0x80 | cp & 0x3F)};
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The same bytes in a heap buffer, a direct buffer, and a two-component composite. */
    private static ByteBuf[] buffers(byte[] bytes) {
        int half = bytes.length / 2;
        return new ByteBuf[] {
            Unpooled.wrappedBuffer(bytes.clone()),
            Unpooled.directBuffer(bytes.length).writeBytes(bytes),
            Unpooled.compositeBuffer()
                    .addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, half)))
                    .addComponent(true, Unpooled.directBuffer().writeBytes(bytes, half, bytes.length - half)),
        };
    }
}
