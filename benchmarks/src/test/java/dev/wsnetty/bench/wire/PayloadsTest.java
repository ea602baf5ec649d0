package dev.wsnetty.bench.wire;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadsTest {
    private static void assertValidUtf8(byte[] bytes) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
    }

    @Test
    void corporaAreValidTextOfTheRightShape() throws CharacterCodingException {
        for (int size = 0; size < 400; size++) {
            byte[] ascii = Payloads.asciiJson(size);
            byte[] mixed = Payloads.mixedText(size);
            assertEquals(size, ascii.length);
            assertEquals(size, mixed.length);
            assertEquals(0.0, Payloads.multiByteShare(ascii));
            assertValidUtf8(mixed);
        }
        for (int size : new int[] {125, 1024, 16384}) {
            double share = Payloads.multiByteShare(Payloads.mixedText(size));
            assertTrue(share > 0.2 && share < 0.3, size + " bytes: multi-byte share " + share);
        }
    }

    @Test
    void framesRoundTrip() {
        for (int size : new int[] {0, 1, 125, 126, 65535, 65536}) {
            byte[] payload = Payloads.binary(size, size);
            WireFrames.Frame masked = WireFrames.parse(WireFrames.masked(WireFrames.BINARY, true, payload, 0x01020304));
            assertTrue(masked.masked() && masked.fin());
            assertArrayEquals(payload, masked.payload());
            WireFrames.Frame plain = WireFrames.parse(WireFrames.unmasked(WireFrames.TEXT, false, payload));
            assertTrue(!plain.masked() && !plain.fin() && plain.opcode() == WireFrames.TEXT);
            assertArrayEquals(payload, plain.payload());
        }
        // RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d.
        byte[] hello = WireFrames.masked(WireFrames.TEXT, true, "Hello".getBytes(StandardCharsets.US_ASCII), 0x37FA213D);
        assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f,
                0x4d, 0x51, 0x58}, hello);
    }
}
