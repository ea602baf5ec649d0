package dev.wsnetty.bench.load;

import dev.wsnetty.bench.wire.Payloads;
import dev.wsnetty.bench.wire.WireFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void countsWholeEchoesSplitAnywhere() {
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(PAYLOAD), WireFrames.BINARY);
        byte[] frame = WireFrames.unmasked(WireFrames.BINARY, true, PAYLOAD);
        assertEquals(2, feedByteByByte(checker, concat(frame, frame)));
        assertEquals(3, checker.read(Unpooled.wrappedBuffer(concat(frame, frame, frame))));
        assertEquals(-1, checker.closeCode());
    }

    @Test
    void acceptsAnEchoInFragmentsWithControlFramesBetween() {
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(PAYLOAD), WireFrames.BINARY);
        byte[] bytes = concat(
                WireFrames.unmasked(WireFrames.BINARY, false, Arrays.copyOfRange(PAYLOAD, 0, 100)),
                WireFrames.unmasked(0x9, true, new byte[] {1, 2}),
                WireFrames.unmasked(0x0, false, Arrays.copyOfRange(PAYLOAD, 100, 65_636)),
                WireFrames.unmasked(0x0, true, Arrays.copyOfRange(PAYLOAD, 65_636, PAYLOAD.length)));
        assertEquals(1, feedByteByByte(checker, bytes));
    }

    @Test
    void rejectsAChangedByte() {
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(PAYLOAD), WireFrames.BINARY);
        byte[] wrong = PAYLOAD.clone();
        wrong[65_000] ^= 1;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> checker.read(Unpooled.wrappedBuffer(WireFrames.unmasked(WireFrames.BINARY, true, wrong))));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
    }

    @Test
    void smallEchoesBackToBackSplitAtEveryByte() {
        byte[] small = Arrays.copyOf(PAYLOAD, 20);
        byte[] frame = WireFrames.unmasked(WireFrames.BINARY, true, small);
        byte[] five = concat(frame, frame, frame, frame, frame);
        for (int split = 0; split <= five.length; split++) {
            EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(small), WireFrames.BINARY);
            int messages = checker.read(Unpooled.wrappedBuffer(five, 0, split));
            messages += checker.read(Unpooled.wrappedBuffer(five, split, five.length - split));
            assertEquals(5, messages, "split at byte " + split);
        }
        byte[] wrong = five.clone();
        wrong[3 * frame.length + 5] ^= 1;
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(small), WireFrames.BINARY);
        assertThrows(IllegalStateException.class, () -> checker.read(Unpooled.wrappedBuffer(wrong)));
    }

    @Test
    void comparesLongRunsOfDirectBuffersAtTheirOffsets() {
        ByteBuf expected = Unpooled.directBuffer(PAYLOAD.length).writeBytes(PAYLOAD);
        EchoChecker checker = new EchoChecker(expected, WireFrames.BINARY);
        byte[] frame = WireFrames.unmasked(WireFrames.BINARY, true, PAYLOAD);
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
        EchoChecker binary = new EchoChecker(Unpooled.wrappedBuffer(text), WireFrames.BINARY);
        assertThrows(IllegalStateException.class,
                () -> binary.read(Unpooled.wrappedBuffer(WireFrames.unmasked(WireFrames.TEXT, true, text))));
        EchoChecker masked = new EchoChecker(Unpooled.wrappedBuffer(text), WireFrames.TEXT);
        assertThrows(IllegalStateException.class,
                () -> masked.read(Unpooled.wrappedBuffer(WireFrames.masked(WireFrames.TEXT, true, text, 1))));
        EchoChecker shorter = new EchoChecker(Unpooled.wrappedBuffer(text), WireFrames.TEXT);
        assertThrows(IllegalStateException.class, () -> shorter.read(Unpooled.wrappedBuffer(
                WireFrames.unmasked(WireFrames.TEXT, true, Arrays.copyOf(text, 19)))));
    }

    @Test
    void notesTheServersCloseCode() {
        EchoChecker checker = new EchoChecker(Unpooled.wrappedBuffer(PAYLOAD), WireFrames.BINARY);
        assertEquals(0, feedByteByByte(checker, WireFrames.unmasked(WireFrames.CLOSE, true, new byte[] {0x03, (byte) 0xF1, 'x'})));
        assertEquals(1009, checker.closeCode());
    }
}
