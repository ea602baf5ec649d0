package dev.wsnetty.bench.load;

import dev.wsnetty.bench.wire.WireFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fan-out checker on hand-built server frames: stamps read whatever the splits, corruption caught. */
class FanoutCheckerTest {
    private static final byte[] TEMPLATE = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c', 'd'};

    @Test
    void readsStampsOfMessagesSplitAtEveryOffset() {
        byte[] wire = concat(frame(7, 1234, TEMPLATE), frame(8, 5678, TEMPLATE));
        for (int split = 0; split <= wire.length; split++) {
            FanoutChecker checker = new FanoutChecker(Unpooled.wrappedBuffer(TEMPLATE), WireFrames.BINARY);
            List<long[]> stamps = new ArrayList<>();
            readAll(checker, wire, 0, split, stamps);
            readAll(checker, wire, split, wire.length, stamps);
            assertEquals(2, stamps.size(), "split at " + split);
            assertEquals(7, stamps.get(0)[0]);
            assertEquals(1234, stamps.get(0)[1]);
            assertEquals(8, stamps.get(1)[0]);
            assertEquals(5678, stamps.get(1)[1]);
        }
    }

    @Test
    void aChangedPayloadByteIsAnError() {
        byte[] corrupt = TEMPLATE.clone();
        corrupt[18] = 'x';
        FanoutChecker checker = new FanoutChecker(Unpooled.wrappedBuffer(TEMPLATE), WireFrames.BINARY);
        assertThrows(IllegalStateException.class,
                () -> readAll(checker, frame(0, 0, corrupt), 0, corrupt.length + 2, new ArrayList<>()));
    }

    @Test
    void aShorterMessageIsAnError() {
        byte[] shorter = new byte[TEMPLATE.length - 1];
        System.arraycopy(TEMPLATE, 0, shorter, 0, shorter.length);
        FanoutChecker checker = new FanoutChecker(Unpooled.wrappedBuffer(TEMPLATE), WireFrames.BINARY);
        assertThrows(IllegalStateException.class,
                () -> readAll(checker, frame(0, 0, shorter), 0, shorter.length + 2, new ArrayList<>()));
    }

    private static void readAll(FanoutChecker checker, byte[] wire, int from, int to, List<long[]> stamps) {
        ByteBuf in = Unpooled.wrappedBuffer(wire, from, to - from);
        checker.read(in, (sequence, sent) -> stamps.add(new long[] {sequence, sent}));
    }

    private static byte[] frame(long sequence, long sent, byte[] template) {
        byte[] payload = template.clone();
        for (int i = 0; i < 8; i++) {
            payload[i] = (byte) (sequence >>> (56 - 8 * i));
            payload[8 + i] = (byte) (sent >>> (56 - 8 * i));
        }
        return WireFrames.unmasked(WireFrames.BINARY, true, payload);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
