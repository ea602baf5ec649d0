package dev.wsnetty.netty.internal.codec;

import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loops {@link Masking} picks between by the JVM's abilities, each called directly: a JVM with
 * {@code Unsafe} (JDK 17) never reaches the array view or the in-place NIO loop on direct memory through
 * {@link Masking}, one without (JDK 25) never the {@code Unsafe} loops.
 */
class XorLoopsTest {
    private static final int KEY = 0x37FA213D;

    @Test
    void nioLoopMasksAndRestoresTheByteOrder() {
        forEveryLengthAndStart((data, at, length, expected) -> {
            for (ByteBuffer nio : new ByteBuffer[] {ByteBuffer.allocateDirect(data.length), ByteBuffer.allocate(data.length)}) {
                nio.put(data).clear().order(ByteOrder.LITTLE_ENDIAN);
                XorLoops.nio(nio, at, length, KEY);
                assertEquals(ByteOrder.LITTLE_ENDIAN, nio.order());
                assertEquals(0, nio.position());
                byte[] actual = new byte[data.length];
                nio.get(actual);
                assertArrayEquals(expected, actual, "length " + length + " at " + at + " " + nio);
            }
        });
    }

    @Test
    void arrayViewLoopMasks() {
        forEveryLengthAndStart((data, at, length, expected) -> {
            XorLoops.arrayView(data, at, length, KEY);
            assertArrayEquals(expected, data, "length " + length + " at " + at);
        });
    }

    @Test
    void arrayUnsafeLoopMasks() {
        assumeTrue(PlatformDependent.hasUnsafe(), "Netty has no Unsafe on this JVM");
        forEveryLengthAndStart((data, at, length, expected) -> {
            XorLoops.arrayUnsafe(data, at, length, KEY);
            assertArrayEquals(expected, data, "length " + length + " at " + at);
        });
    }

    /** Every length 0–200 at every start 0–7, with bytes after the run that must stay as they are. */
    private static void forEveryLengthAndStart(Case check) {
        Random random = new Random(5);
        for (int length = 0; length <= 200; length++) {
            for (int at = 0; at < 8; at++) {
                byte[] data = new byte[at + length + 3];
                random.nextBytes(data);
                byte[] expected = data.clone();
                for (int i = 0; i < length; i++) {
                    expected[at + i] ^= (byte) (KEY >>> (24 - 8 * (i & 3)));
                }
                check.run(data, at, length, expected);
            }
        }
    }

    @FunctionalInterface
    private interface Case {
        void run(byte[] data, int at, int length, byte[] expected);
    }
}
