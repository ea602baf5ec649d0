package dev.wsnetty.netty.codec;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.DecoderHarness.Feed;
import dev.wsnetty.netty.codec.DecoderHarness.Kind;
import dev.wsnetty.netty.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.wsnetty.netty.codec.DecoderHarness.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What one side's encoder writes, the other side's decoder reads back exactly. */
class CodecRoundTripTest {

    @ParameterizedTest(name = "{0} sends")
    @EnumSource(Role.class)
    void randomMessagesSurviveTheTrip(Role sender) {
        Random random = new Random(sender.ordinal() + 17);
        WebSocketConfig config = WebSocketConfig.builder().streamingThreshold(4096).maxSize(200_000).build();
        TrackingAllocator allocator = new TrackingAllocator(true);
        EmbeddedChannel encoder = new EmbeddedChannel();
        encoder.config().setAllocator(allocator);
        encoder.pipeline().addLast(new FrameEncoder(sender));

        List<String> expected = new ArrayList<>();
        for (int m = 0; m < 80; m++) {
            boolean text = random.nextBoolean();
            int fragments = 1 + random.nextInt(3);
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            for (int f = 0; f < fragments; f++) {
                int size = random.nextInt(6) == 0 ? random.nextInt(70_000) : random.nextInt(300);
                byte[] part = text ? "aé€😀".repeat(size / 10 + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[size];
                if (!text) {
                    random.nextBytes(part);
                }
                message.writeBytes(part);
                int opcode = f > 0 ? WebSocketProtocol.OPCODE_CONTINUATION : text ? WebSocketProtocol.OPCODE_TEXT : WebSocketProtocol.OPCODE_BINARY;
                ByteBuf content = random.nextBoolean() ? Unpooled.wrappedBuffer(part) : Unpooled.directBuffer().writeBytes(part);
                encoder.write(new WebSocketFrame(opcode, f == fragments - 1, content));
                if (random.nextInt(5) == 0) {
                    byte[] ping = new byte[random.nextInt(126)];
                    random.nextBytes(ping);
                    encoder.write(WebSocketFrame.ping(Unpooled.wrappedBuffer(ping)));
                    if (f < fragments - 1) {
                        expected.add("ping:" + show(ping));
                    } else {
                        expected.add((text ? "text:" : "binary:") + show(message.toByteArray()));
                        expected.add("ping:" + show(ping));
                        message = null;
                    }
                }
            }
            if (message != null) {
                expected.add((text ? "text:" : "binary:") + show(message.toByteArray()));
            }
        }
        encoder.writeAndFlush(WebSocketFrame.close(1001, "going away"));
        expected.add("close:" + show(ByteBufUtil.getBytes(Unpooled.buffer().writeShort(1001)
                .writeBytes("going away".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))));

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = encoder.readOutbound()) != null; ) {
            wire.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        assertFalse(encoder.finishAndReleaseAll());
        allocator.assertAllReleased();

        Role receiver = sender == Role.SERVER ? Role.CLIENT : Role.SERVER;
        for (Kind kind : new Kind[] {Kind.DIRECT, Kind.HEAP}) {
            try (DecoderHarness h = new DecoderHarness(config, receiver, Feed.RANDOM, kind, 5)) {
                h.feed(wire.toByteArray());
                assertEquals(expected, h.events(), kind.toString());
            }
        }
    }
}
