package dev.wsnetty.netty.codec;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.DecoderHarness.Feed;
import dev.wsnetty.netty.codec.DecoderHarness.Kind;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.hex;
import static dev.wsnetty.netty.testing.Frames.client;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoder with permessage-deflate's RSV1 accepted ({@link FrameDecoder#acceptCompressedMessages()}): the bit
 * goes on in {@link WebSocketFrame#isCompressed()} on a message's first frame (or first piece) only, and compressed
 * text is not validated as UTF-8 (it is deflate data), whatever the reads.
 */
class FrameDecoderCompressedTest {
    private static DecoderHarness harness(WebSocketConfig config, Feed feed) {
        DecoderHarness h = new DecoderHarness(config, Role.SERVER, feed, Kind.DIRECT);
        h.channel.pipeline().get(FrameDecoder.class).acceptCompressedMessages();
        return h;
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void rsv1GoesOnWithTheFirstFrameAndCompressedTextIsNotValidatedHere(Feed feed) {
        byte[] notUtf8 = hex("fffec0");
        byte[] wire = concat(client(0x41, notUtf8), client(0x89, new byte[0]), client(0x80, notUtf8),
                client(0x81, "plain".getBytes()));
        try (DecoderHarness h = harness(WebSocketConfig.DEFAULT, feed)) {
            h.feed(wire);
            assertEquals(List.of(), h.received().stream().filter(o -> o instanceof Throwable).toList());
            List<WebSocketFrame> frames = h.frames();
            assertEquals(List.of(WebSocketProtocol.OPCODE_TEXT, WebSocketProtocol.OPCODE_PING,
                    WebSocketProtocol.OPCODE_CONTINUATION, WebSocketProtocol.OPCODE_TEXT),
                    frames.stream().map(WebSocketFrame::opcode).toList());
            assertTrue(frames.get(0).isCompressed());
            assertFalse(frames.get(1).isCompressed());
            assertFalse(frames.get(2).isCompressed());
            assertFalse(frames.get(3).isCompressed(), "the next message is not compressed: the bit is per message");
            assertArrayEquals(notUtf8, ByteBufUtil.getBytes(frames.get(2).content()));
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void aLargeCompressedFramePassedOnInPiecesHasRsv1OnItsFirstPieceOnly(Feed feed) {
        byte[] payload = new byte[5000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (0x80 + i % 64); // not UTF-8 on its own
        }
        WebSocketConfig streaming = WebSocketConfig.builder().streamingThreshold(1000).build();
        try (DecoderHarness h = harness(streaming, feed)) {
            h.feed(client(0xC1, payload));
            List<WebSocketFrame> frames = h.frames();
            assertTrue(frames.get(0).isCompressed());
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < frames.size(); i++) {
                assertEquals(i == 0, frames.get(i).isCompressed(), "piece " + i);
                all.writeBytes(ByteBufUtil.getBytes(frames.get(i).content()));
            }
            assertTrue(frames.get(frames.size() - 1).isFinal());
            assertArrayEquals(payload, all.toByteArray());
        }
    }
}
