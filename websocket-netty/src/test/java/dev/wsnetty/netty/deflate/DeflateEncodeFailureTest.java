package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static dev.wsnetty.netty.deflate.DeflateOnTheWireTest.json;
import static dev.wsnetty.netty.deflate.DeflatePeer.deflateOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message that cannot be compressed part-way (here: no memory for its output): its write fails with the cause,
 * its frame is released, the connection's stream, now in an unknown state, is ended rather than kept, and the
 * failure goes up the pipeline so that the connection fails instead of sending the rest of the message.
 */
class DeflateEncodeFailureTest {
    /** Allocates until told to fail, then fails every allocation as exhausted direct memory does. */
    private static final class FailingAllocator extends AbstractByteBufAllocator {
        private boolean failing;

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            check();
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            check();
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        private void check() {
            if (failing) {
                throw new OutOfMemoryError("no memory for the compressed frame (test)");
            }
        }
    }

    @Test
    void aMessageThatCannotBeCompressedFailsItsWriteAndEndsTheStream() {
        FailingAllocator alloc = new FailingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        WebSocketPipeline.addFrameHandlers(channel.pipeline(), WebSocketConfig.DEFAULT, Role.SERVER);
        WebSocketPipeline.addDeflate(channel.pipeline(), DeflateParameters.contextTakeover(), WebSocketConfig.DEFAULT,
                Role.SERVER);
        PerMessageDeflateHandler deflate = deflateOf(channel);
        assertTrue(channel.writeOutbound(WebSocketFrame.text(json(1000))));
        channel.releaseOutbound();
        assertTrue(deflate.holdsDeflateStream());

        alloc.failing = true;
        WebSocketFrame frame = WebSocketFrame.text(json(1000));
        ChannelFuture write = channel.writeOneOutbound(frame);
        assertFalse(write.isSuccess());
        assertInstanceOf(OutOfMemoryError.class, write.cause());
        assertEquals(0, frame.refCnt(), "the frame is released");
        assertFalse(deflate.holdsDeflateStream(), "the stream of the broken message is ended, not kept");
        assertThrows(OutOfMemoryError.class, channel::checkException, "the failure went up the pipeline");

        alloc.failing = false;
        channel.finishAndReleaseAll();
    }
}
