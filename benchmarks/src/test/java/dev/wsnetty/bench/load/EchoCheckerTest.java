package dev.wsnetty.bench.load;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.netty.testing.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.wsnetty.netty.testing.Bytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator's echo check, fed frames built by the shared test support rather than by its own writer. */
class EchoCheckerTest {
    private static final byte[] PAYLOAD = Payloads.binary(70_000, 3);

    private static int feedByteByByte(EchoChecker checker, byte[] bytes) {
        int messages = 0;
        for (byte b : bytes) {
            ByteBuf one = Unpooled.wrappedBuffer(new byte[] {b});
            messages += checker.read(one);
            assertEquals(0, one.readableBytes());
        }
        return messages;
    }

    @Test
    void countsWholeEchoesSplitAnywhere() {
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(PAYLOAD), WebSocketProtocol.OPCODE_BINARY);
        byte[] frame = Frames.unmasked(true, WebSocketProtocol.OPCODE_BINARY, PAYLOAD);
        assertEquals(2, feedByteByByte(checker, concat(frame, frame)));
        assertEquals(3, checker.read(Unpooled.wrappedBuffer(concat(frame, frame, frame))));
        assertEquals(-1, checker.closeCode());
    }

    @Test
    void acceptsAnEchoInFragmentsWithControlFramesBetween() {
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(PAYLOAD), WebSocketProtocol.OPCODE_BINARY);
        byte[] bytes = concat(
                Frames.unmasked(false, WebSocketProtocol.OPCODE_BINARY, Arrays.copyOfRange(PAYLOAD, 0, 100)),
                Frames.unmasked(true, 0x9, new byte[] {1, 2}),
                Frames.unmasked(false, 0x0, Arrays.copyOfRange(PAYLOAD, 100, 65_636)),
                Frames.unmasked(true, 0x0, Arrays.copyOfRange(PAYLOAD, 65_636, PAYLOAD.length)));
        assertEquals(1, feedByteByByte(checker, bytes));
    }

    @Test
    void rejectsAChangedByte() {
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(PAYLOAD), WebSocketProtocol.OPCODE_BINARY);
        byte[] wrong = PAYLOAD.clone();
        wrong[65_000] ^= 1;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> checker.read(Unpooled.wrappedBuffer(
                        Frames.unmasked(true, WebSocketProtocol.OPCODE_BINARY, wrong))));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
    }

    @Test
    void smallEchoesBackToBackSplitAtEveryByte() {
        byte[] small = Arrays.copyOf(PAYLOAD, 20);
        byte[] frame = Frames.unmasked(true, WebSocketProtocol.OPCODE_BINARY, small);
        byte[] five = concat(frame, frame, frame, frame, frame);
        for (int split = 0; split <= five.length; split++) {
            EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(small), WebSocketProtocol.OPCODE_BINARY);
            int messages = checker.read(Unpooled.wrappedBuffer(five, 0, split));
            messages += checker.read(Unpooled.wrappedBuffer(five, split, five.length - split));
            assertEquals(5, messages, "split at byte " + split);
        }
        byte[] wrong = five.clone();
        wrong[3 * frame.length + 5] ^= 1;
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(small), WebSocketProtocol.OPCODE_BINARY);
        assertThrows(IllegalStateException.class, () -> checker.read(Unpooled.wrappedBuffer(wrong)));
    }

    @Test
    void comparesLongRunsOfDirectBuffersAtTheirOffsets() {
        ByteBuf expected = Unpooled.directBuffer(PAYLOAD.length).writeBytes(PAYLOAD);
        EchoChecker checker = new EchoChecker(expected, WebSocketProtocol.OPCODE_BINARY);
        byte[] frame = Frames.unmasked(true, WebSocketProtocol.OPCODE_BINARY, PAYLOAD);
        assertEquals(1, readInDirectPieces(checker, frame, 1000));
        byte[] wrong = frame.clone();
        wrong[65_500] ^= 1; // inside a 1000-byte piece: compared by the vectorized path
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> readInDirectPieces(checker, wrong, 1000));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
        expected.release();
    }

    private static int readInDirectPieces(EchoChecker checker, byte[] bytes, int pieceSize) {
        ByteBuf all = Unpooled.directBuffer(bytes.length + 3).writeZero(3).writeBytes(bytes).skipBytes(3);
        int messages = 0;
        try {
            while (all.isReadable()) {
                messages += checker.read(all.readSlice(Math.min(pieceSize, all.readableBytes())));
            }
        } finally {
            all.release();
        }
        return messages;
    }

    @Test
    void rejectsWrongOpcodeMaskAndLength() {
        byte[] text = Payloads.asciiJson(20);
        EchoChecker binary = new EchoChecker(Unpooled.wrappedBuffer(text), WebSocketProtocol.OPCODE_BINARY);
        assertThrows(IllegalStateException.class,
                () -> binary.read(Unpooled.wrappedBuffer(Frames.unmasked(true, WebSocketProtocol.OPCODE_TEXT, text))));
        EchoChecker masked = new EchoChecker(Unpooled.wrappedBuffer(text), WebSocketProtocol.OPCODE_TEXT);
        assertThrows(IllegalStateException.class,
                () -> masked.read(Unpooled.wrappedBuffer(
                        Frames.frame(0x80 | WebSocketProtocol.OPCODE_TEXT, text, true, 1))));
        EchoChecker shorter = new EchoChecker(Unpooled.wrappedBuffer(text), WebSocketProtocol.OPCODE_TEXT);
        assertThrows(IllegalStateException.class, () -> shorter.read(Unpooled.wrappedBuffer(
                Frames.unmasked(true, WebSocketProtocol.OPCODE_TEXT, Arrays.copyOf(text, 19)))));
    }

    @Test
    void notesTheServersCloseCode() {
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(PAYLOAD), WebSocketProtocol.OPCODE_BINARY);
        byte[] close = Frames.unmasked(true, WebSocketProtocol.OPCODE_CLOSE, new byte[] {0x03, (byte) 0xF1, 'x'});
        assertEquals(0, feedByteByByte(checker, close));
        assertEquals(1009, checker.closeCode());
    }
}
