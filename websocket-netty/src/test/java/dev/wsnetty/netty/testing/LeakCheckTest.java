package dev.wsnetty.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that the check {@link LeakCheckExtension} runs sees real leaks, which also proves that its factory
 * was installed before Netty created the ByteBuf detector. Each test takes the reports it provokes, so the
 * extension finds nothing left afterwards.
 */
class LeakCheckTest {
    @Test
    void reportsALeakedPooledBufferWithItsRecords() {
        leak(PooledByteBufAllocator.DEFAULT, "leaked-pooled-direct-buffer", true);

        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> LeakCheck.assertNoLeaksAfterGc("the deliberate leak"));

        String message = failure.getMessage();
        assertTrue(message.contains("ByteBuf"), message);
        assertTrue(message.contains("leaked-pooled-direct-buffer"), message);
        assertTrue(message.contains("the deliberate leak"), message);
    }

    @Test
    void reportsALeakedBufferOfTheDefaultAllocator() {
        leak(ByteBufAllocator.DEFAULT, "leaked-default-heap-buffer", false);

        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> LeakCheck.assertNoLeaksAfterGc("the deliberate leak"));

        assertTrue(failure.getMessage().contains("leaked-default-heap-buffer"), failure.getMessage());
    }

    @Test
    void releasedBuffersAreNotReported() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeLong(42);
        buffer.release();

        assertDoesNotThrow(() -> LeakCheck.assertNoLeaksAfterGc("released buffers"));
    }

    /** Allocates, touches with a hint and drops a buffer; a method of its own so no local keeps it alive. */
    private static void leak(ByteBufAllocator allocator, String hint, boolean direct) {
        ByteBuf buffer = direct ? allocator.directBuffer(64) : allocator.heapBuffer(64);
        buffer.writeLong(42);
        buffer.touch(hint);
    }
}
