package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.protocol.MessageAggregator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static dev.wsnetty.netty.testing.Frames.CONTINUATION_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an unfinished compressed message counts in the connection's {@link InboundMemoryBudget}: the inflated bytes
 * the aggregator holds for it (not its compressed bytes), released when the message goes on whole or the
 * connection ends.
 */
class DeflateBudgetTest {
    /** FIN clear, RSV1, text: the first frame of a fragmented compressed text message. */
    private static final int COMPRESSED_TEXT_FIRST = 0x41;

    private final InboundMemoryBudget budget = InboundMemoryBudget.of(1L << 30);
    private final EmbeddedChannel channel = new EmbeddedChannel();

    DeflateBudgetTest() {
        WebSocketPipeline.useInboundMemoryBudget(channel.pipeline(), budget);
        WebSocketPipeline.addFrameHandlers(channel.pipeline(), WebSocketConfig.DEFAULT, Role.SERVER);
        WebSocketPipeline.addDeflate(channel.pipeline(), DeflateParameters.lean(), WebSocketConfig.DEFAULT,
                Role.SERVER);
        channel.pipeline().addLast(new MessageAggregator());
    }

    @AfterEach
    void finish() {
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll(); // the protocol handler writes its Close frame as the channel closes
        assertEquals(0, budget.used(), "released when the channel ends");
    }

    @Test
    void anUnfinishedCompressedMessageCountsItsInflatedBytes() throws Exception {
        byte[] text = DeflateOnTheWireTest.json(200_000).getBytes(StandardCharsets.UTF_8);
        byte[] compressed = Zlib.compressMessage(text);
        byte[] firstHalf = Arrays.copyOf(compressed, compressed.length / 2);

        channel.writeInbound(Unpooled.wrappedBuffer(Frames.client(COMPRESSED_TEXT_FIRST, firstHalf)));
        assertNull(channel.readInbound(), "the message is not complete");
        long inflated = inflatedFrom(firstHalf);
        assertTrue(inflated > 5L * firstHalf.length, inflated + " bytes from " + firstHalf.length);
        assertEquals(inflated, budget.used(), "the inflated bytes the aggregator holds, not the compressed ones");

        channel.writeInbound(Unpooled.wrappedBuffer(Frames.client(CONTINUATION_LAST,
                Arrays.copyOfRange(compressed, firstHalf.length, compressed.length))));
        assertEquals(0, budget.used(), "released when the message went on whole");
        WebSocketFrame message = channel.readInbound();
        try {
            assertArrayEquals(text, ByteBufUtil.getBytes(message.content()));
        } finally {
            message.release();
        }
    }

    @Test
    void theCountIsReleasedWhenTheConnectionEndsMidMessage() {
        byte[] compressed = Zlib.compressMessage(DeflateOnTheWireTest.json(100_000).getBytes(StandardCharsets.UTF_8));
        channel.writeInbound(Unpooled.wrappedBuffer(Frames.client(COMPRESSED_TEXT_FIRST,
                Arrays.copyOf(compressed, compressed.length / 2))));
        assertTrue(budget.used() > compressed.length, budget.used() + " bytes counted");
        // finish() closes the channel and checks that nothing stays counted.
    }

    /** What zlib makes of the first part of a deflate stream: every byte the input allows. */
    private static long inflatedFrom(byte[] part) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(part);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            return out.size();
        } finally {
            inflater.end();
        }
    }
}
