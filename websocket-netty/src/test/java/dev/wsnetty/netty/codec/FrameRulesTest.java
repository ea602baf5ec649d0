package dev.wsnetty.netty.codec;

import dev.wsnetty.netty.WebSocketConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;

import static dev.wsnetty.netty.testing.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The frame rules one at a time, without a decoder: header bytes in hex (masking keys left out: the rules do
 * not read them), and for each violation its type, close code and reason.
 */
class FrameRulesTest {
    private static final WebSocketConfig LIMITS = WebSocketConfig.builder().maxFrameSize(1000).maxMessageSize(1500)
            .build();
    /** First two header bytes without the length: FIN, RSV1, binary (a whole compressed message). */
    private static final int COMPRESSED_BINARY = 0xC200;
    /** First two header bytes without the length: FIN, continuation. */
    private static final int LAST_CONTINUATION = 0x8000;
    private static final boolean SERVER = true;
    private static final boolean CLIENT = false;

    /**
     * Runs the whole header chain as the decoder does: the first two bytes, then the length from the 7-bit
     * field or the 16- or 64-bit length after it.
     */
    private static void checkHeader(String header, boolean server, boolean messageOpen, int messageLength) {
        ByteBuffer bytes = ByteBuffer.wrap(hex(header.replace(" ", "")));
        int firstTwo = bytes.getShort() & 0xFFFF;
        FrameRules.checkFirstTwoBytes(firstTwo, server, messageOpen, false);
        int shortLength = firstTwo & 0x7F;
        long length = shortLength == 126 ? bytes.getShort() & 0xFFFF : shortLength == 127 ? bytes.getLong() : shortLength;
        FrameRules.checkLength(firstTwo, shortLength, length, messageLength, false, LIMITS);
    }

    private static <T extends WebSocketProtocolException> void assertViolation(Class<T> type, int code, String reason,
            Executable check) {
        T e = assertThrows(type, check);
        assertEquals(code, e.closeCode());
        assertEquals(reason, e.getMessage());
        assertEquals(0, e.getStackTrace().length, "a violation records no stack trace");
    }

    private static void assertProtocolError(String reason, Executable check) {
        assertViolation(ProtocolErrorException.class, 1002, reason, check);
    }

    @Test
    void wellFormedHeadersPass() {
        assertDoesNotThrow(() -> {
            checkHeader("8185", SERVER, false, 0);       // masked text "Hello" to a server
            checkHeader("8105", CLIENT, false, 0);       // unmasked text "Hello" to a client
            checkHeader("01 85", SERVER, false, 0);      // first fragment of a text message
            checkHeader("89 80", SERVER, true, 5);       // ping between fragments
            checkHeader("80 85", SERVER, true, 5);       // last fragment
            checkHeader("82 7e 03e8", CLIENT, false, 0); // 1000 bytes: the frame limit, 16-bit length
            checkHeader("88 80", SERVER, false, 0);      // empty Close
        });
    }

    @Test
    void reservedBitsMustBeClear() {
        for (String header : new String[] {"c1 85", "a1 85", "91 85", "f8 80"}) {
            assertProtocolError("reserved bits set but no extension negotiated", () -> checkHeader(header, SERVER, false, 0));
        }
    }

    /** The first two bytes of a header, as the decoder reads them. */
    private static int firstTwo(String header) {
        return ByteBuffer.wrap(hex(header.replace(" ", ""))).getShort() & 0xFFFF;
    }

    @Test
    void withPermessageDeflateRsv1MarksTheFirstFrameOfADataMessage() {
        assertDoesNotThrow(() -> {
            FrameRules.checkFirstTwoBytes(firstTwo("c1 85"), SERVER, false, true); // compressed text
            FrameRules.checkFirstTwoBytes(firstTwo("42 85"), SERVER, false, true); // first fragment, compressed binary
        });
    }

    @Test
    void withPermessageDeflateRsv1IsRefusedOnContinuationAndControlFrames() {
        assertProtocolError("RSV1 set on a continuation frame",
                () -> FrameRules.checkFirstTwoBytes(firstTwo("c0 85"), SERVER, true, true));
        assertProtocolError("RSV1 set on a ping frame",
                () -> FrameRules.checkFirstTwoBytes(firstTwo("c9 80"), SERVER, false, true));
        assertProtocolError("RSV1 set on a close frame",
                () -> FrameRules.checkFirstTwoBytes(firstTwo("c8 80"), SERVER, true, true));
    }

    @Test
    void withPermessageDeflateRsv2AndRsv3AreStillReserved() {
        for (String header : new String[] {"a1 85", "91 85", "e1 85"}) {
            assertProtocolError("reserved bits set but no extension negotiated",
                    () -> FrameRules.checkFirstTwoBytes(firstTwo(header), SERVER, false, true));
        }
        assertProtocolError("reserved opcode 3", () -> FrameRules.checkFirstTwoBytes(firstTwo("c3 85"), SERVER, false,
                true));
    }

    @Test
    void opcodeMustBeDefined() {
        assertProtocolError("reserved opcode 3", () -> checkHeader("83 85", SERVER, false, 0));
        assertProtocolError("reserved opcode 11", () -> checkHeader("8b 00", CLIENT, false, 0));
    }

    @Test
    void clientFramesMustBeMasked() {
        assertProtocolError("client frame is not masked", () -> checkHeader("81 05", SERVER, false, 0));
    }

    @Test
    void serverFramesMustNotBeMasked() {
        assertProtocolError("server frame is masked", () -> checkHeader("81 85", CLIENT, false, 0));
    }

    @Test
    void controlFramesMustNotBeFragmented() {
        assertProtocolError("fragmented ping frame", () -> checkHeader("09 80", SERVER, false, 0));
        assertProtocolError("fragmented close frame", () -> checkHeader("08 02", CLIENT, false, 0));
    }

    @Test
    void controlFramesCarryAtMost125Bytes() {
        assertDoesNotThrow(() -> checkHeader("8a fd", SERVER, false, 0));
        assertProtocolError("pong frame payload over 125 bytes", () -> checkHeader("8a fe 007e", SERVER, false, 0));
        assertProtocolError("ping frame payload over 125 bytes", () -> checkHeader("89 7f 0000000000000005", CLIENT, false, 0));
    }

    @Test
    void closePayloadIsNotOneByte() {
        assertProtocolError("close frame payload of 1 byte", () -> checkHeader("88 81", SERVER, false, 0));
    }

    @Test
    void continuationOnlyInsideAMessage() {
        assertProtocolError("continuation frame without a message to continue",
                () -> checkHeader("80 85", SERVER, false, 0));
        assertProtocolError("continuation frame without a message to continue",
                () -> checkHeader("00 05", CLIENT, false, 0));
    }

    @Test
    void newMessageOnlyAfterTheFragmentedOneEnded() {
        assertProtocolError("new message before the fragmented one ended", () -> checkHeader("81 85", SERVER, true, 5));
        assertProtocolError("new message before the fragmented one ended", () -> checkHeader("02 05", CLIENT, true, 5));
    }

    @Test
    void lengthMustBeInItsShortestForm() {
        assertProtocolError("length 125 not in its shortest form", () -> checkHeader("82 fe 007d", SERVER, false, 0));
        assertProtocolError("length 0 not in its shortest form", () -> checkHeader("82 7e 0000", CLIENT, false, 0));
        assertProtocolError("length 65535 not in its shortest form",
                () -> checkHeader("82 ff 000000000000ffff", SERVER, false, 0));
        assertProtocolError("length 126 not in its shortest form",
                () -> checkHeader("82 7f 000000000000007e", CLIENT, false, 0));
    }

    @Test
    void sixtyFourBitLengthHasItsMostSignificantBitClear() {
        assertProtocolError("64-bit length with the most significant bit set",
                () -> checkHeader("82 ff 8000000000000005", SERVER, false, 0));
        assertProtocolError("64-bit length with the most significant bit set",
                () -> checkHeader("82 7f ffffffffffffffff", CLIENT, false, 0));
    }

    @Test
    void frameOverTheLimitIsTooBig() {
        assertViolation(MessageTooBigException.class, 1009, "frame of 1001 bytes exceeds the limit of 1000",
                () -> checkHeader("82 fe 03e9", SERVER, false, 0));
        assertViolation(MessageTooBigException.class, 1009, "frame of 4294967296 bytes exceeds the limit of 1000",
                () -> checkHeader("82 7f 0000000100000000", CLIENT, false, 0));
    }

    @Test
    void messageOverTheLimitIsTooBigBeforeItsLastFrameIsRead() {
        assertDoesNotThrow(() -> checkHeader("80 fe 01f4", SERVER, true, 1000)); // 1500: the message limit
        assertViolation(MessageTooBigException.class, 1009, "message of 1501 bytes or more exceeds the limit of 1500",
                () -> checkHeader("00 fe 01f5", SERVER, true, 1000));
        assertViolation(MessageTooBigException.class, 1009, "message of 1600 bytes or more exceeds the limit of 1500",
                () -> checkHeader("00 7e 0258", CLIENT, true, 1000));
    }

    @Test
    void aCompressedMessageHasRoomForDeflatesGrowthAndNoMore() {
        // Incompressible bytes grow when deflated: a message at the limit arrives a little larger.
        assertEquals(1067, FrameRules.compressedLimit(1000));
        assertEquals(1569, FrameRules.compressedLimit(1500));
        assertEquals(Integer.MAX_VALUE, FrameRules.compressedLimit(Integer.MAX_VALUE), "the decoder counts in ints");
        WebSocketConfig unlimited = WebSocketConfig.builder().maxFrameSize(Integer.MAX_VALUE)
                .maxMessageSize(Integer.MAX_VALUE).build();
        assertViolation(MessageTooBigException.class, 1009, "compressed frame of 2147483648 bytes exceeds the limit"
                        + " of 2147483647 (2147483647 and room for deflate's growth)",
                () -> FrameRules.checkLength(COMPRESSED_BINARY | 127, 127, 1L << 31, 0, false, unlimited));
        assertDoesNotThrow(() -> FrameRules.checkLength(COMPRESSED_BINARY | 126, 126, 1067, 0, false, LIMITS));
        assertViolation(MessageTooBigException.class, 1009,
                "compressed frame of 1068 bytes exceeds the limit of 1067 (1000 and room for deflate's growth)",
                () -> FrameRules.checkLength(COMPRESSED_BINARY | 126, 126, 1068, 0, false, LIMITS));
        assertDoesNotThrow(() -> FrameRules.checkLength(LAST_CONTINUATION | 126, 126, 600, 969, true, LIMITS));
        assertViolation(MessageTooBigException.class, 1009, "compressed message of 1570 bytes or more exceeds "
                        + "the limit of 1569 (1500 and room for deflate's growth)",
                () -> FrameRules.checkLength(LAST_CONTINUATION | 126, 126, 601, 969, true, LIMITS));
        // A new uncompressed message after a compressed one: the plain limits.
        assertViolation(MessageTooBigException.class, 1009, "frame of 1001 bytes exceeds the limit of 1000",
                () -> FrameRules.checkLength(0x8200 | 126, 126, 1001, 969, true, LIMITS));
    }

    @Test
    void controlFramesDoNotCountTowardsTheMessage() {
        assertDoesNotThrow(() -> checkHeader("89 fd", SERVER, true, 1500));
    }

    @Test
    void closePayloadIsEmptyOrACodeThatMayBeSentAndUtf8() {
        assertDoesNotThrow(() -> {
            checkClose("");
            checkClose("03e8");                  // 1000
            checkClose("0fa0 c2a2e282ac");       // 4000 "¢€"
        });
        assertProtocolError("invalid close code 1005", () -> checkClose("03ed"));
        assertProtocolError("invalid close code 999", () -> checkClose("03e7 6279"));
        assertViolation(InvalidPayloadException.class, 1007, "close reason is not valid UTF-8",
                () -> checkClose("03e8 eda080")); // a surrogate
        assertViolation(InvalidPayloadException.class, 1007, "close reason is not valid UTF-8",
                () -> checkClose("03e8 ce"));     // ends inside a sequence
    }

    private static void checkClose(String payload) {
        ByteBuf buf = Unpooled.wrappedBuffer(hex(payload.replace(" ", "")));
        FrameRules.checkClosePayload(buf);
        assertEquals(0, buf.readerIndex(), "the check does not move the payload's indices");
    }

    @Test
    void textViolationsAreInvalidPayload() {
        assertViolation(InvalidPayloadException.class, 1007, "text is not valid UTF-8", () -> {
            throw FrameRules.invalidText();
        });
        assertViolation(InvalidPayloadException.class, 1007, "text ends inside a UTF-8 sequence", () -> {
            throw FrameRules.unfinishedText();
        });
    }
}
