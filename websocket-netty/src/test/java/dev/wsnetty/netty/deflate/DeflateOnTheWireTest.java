package dev.wsnetty.netty.deflate;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.EncodedFrame;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static dev.wsnetty.netty.testing.Frames.CONTINUATION;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate on the wire: a raw client that compresses and inflates with java.util.zip by hand, against our
 * server pipeline with the deflate handler added directly. RSV1 is read off the wire ({@code rsv == 4}).
 */
class DeflateOnTheWireTest {
    /** RSV1 alone, as {@link WireFrame#rsv()} gives it. */
    private static final int RSV1 = 4;
    private static final int COMPRESSED_TEXT = 0xC1;
    private static final int COMPRESSED_BINARY = 0xC2;
    private static final int COMPRESSED_TEXT_FIRST = 0x41;

    private DeflatePeer peer;

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
    }

    private RawClient start(DeflateParameters agreed, WebSocketConfig config) throws Exception {
        peer = new DeflatePeer(agreed, config);
        return RawClient.connect(peer.port());
    }

    private static WebSocketConfig config() {
        return WebSocketConfig.builder().build();
    }

    /** Text like a JSON API's messages, {@code size} bytes of it. */
    static String json(int size) {
        StringBuilder b = new StringBuilder(size + 64);
        for (int i = 0; b.length() < size; i++) {
            b.append("{\"id\":").append(i).append(",\"user\":\"user").append(i % 17)
                    .append("\",\"status\":\"active\",\"score\":").append(i * 31 % 1000).append("},");
        }
        return b.substring(0, size);
    }

    @Test
    void messagesUnderTheThresholdGoUncompressed() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            Channel server = peer.nextAccepted();
            String small = json(255);
            server.writeAndFlush(WebSocketFrame.text(small));
            WireFrame frame = client.readFrame();
            assertEquals(0, frame.rsv(), "no RSV1 under the threshold");
            assertEquals(small, frame.text());
        }
    }

    @Test
    void textAtTheThresholdGoesCompressedAndInflatesBack() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            Channel server = peer.nextAccepted();
            String text = json(4096);
            server.writeAndFlush(WebSocketFrame.text(text));
            WireFrame frame = client.readFrame();
            assertEquals(RSV1, frame.rsv());
            assertTrue(frame.fin());
            assertTrue(frame.payload().length < text.length() / 3, "compressed to " + frame.payload().length);
            assertEquals(text, new String(Zlib.inflateMessage(frame.payload()), StandardCharsets.UTF_8));

            String atThreshold = json(256);
            server.writeAndFlush(WebSocketFrame.text(atThreshold));
            WireFrame second = client.readFrame();
            assertEquals(RSV1, second.rsv());
            assertEquals(atThreshold, new String(Zlib.inflateMessage(second.payload()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void compressedTextAndBinaryFromTheClientArriveInflated() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            String text = json(3000);
            byte[] binary = new byte[5000];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) (i % 7);
            }
            client.send(Frames.client(COMPRESSED_TEXT, Zlib.compressMessage(text.getBytes(StandardCharsets.UTF_8))),
                    Frames.client(COMPRESSED_BINARY, Zlib.compressMessage(binary)),
                    Frames.client(0x81, "plain".getBytes(StandardCharsets.UTF_8)));
            assertEquals(text, utf8(collectMessage(peer.serverReceived)));
            assertArrayEquals(binary, collectMessage(peer.serverReceived));
            assertEquals("plain", utf8(collectMessage(peer.serverReceived)));
        }
    }

    @Test
    void anEmptyCompressedMessageIsOneZeroByte() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            client.send(Frames.client(COMPRESSED_TEXT, new byte[] {0})); // RFC 7692 §7.2.3.6
            DeflatePeer.Received received = peer.serverReceived.next();
            assertTrue(received.fin());
            assertEquals(0, received.payload().length);
        }
    }

    @Test
    void aFragmentedCompressedMessageIsOneDeflateStream() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            byte[] text = json(40_000).getBytes(StandardCharsets.UTF_8);
            byte[] compressed = Zlib.compressMessage(text);
            int third = compressed.length / 3;
            client.send(Frames.client(COMPRESSED_TEXT_FIRST, Arrays.copyOfRange(compressed, 0, third)));
            client.send(Frames.client(CONTINUATION, Arrays.copyOfRange(compressed, third, 2 * third)));
            client.send(Frames.client(CONTINUATION_LAST, Arrays.copyOfRange(compressed, 2 * third, compressed.length)));
            assertArrayEquals(text, collectMessage(peer.serverReceived));
        }
    }

    /** The pieces of one message, in order, as the application got them: first the opcode, FIN on the last. */
    static byte[] collectMessage(EventRecorder<DeflatePeer.Received> received) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        DeflatePeer.Received piece = received.next();
        assertTrue(piece.opcode() == 0x1 || piece.opcode() == 0x2, "first piece " + piece.opcode());
        message.writeBytes(piece.payload());
        while (!piece.fin()) {
            piece = received.next();
            assertEquals(0x0, piece.opcode());
            message.writeBytes(piece.payload());
        }
        return message.toByteArray();
    }

    /** zlib has nothing to flush for an empty frame after a sync-flushed one: the final frame goes empty. */
    @Test
    void aFragmentedMessageWrittenWithAnEmptyFinalFrameInflatesWhole() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            Channel server = peer.nextAccepted();
            String text = json(3000);
            server.write(WebSocketFrame.text(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), false));
            server.write(WebSocketFrame.continuation(Unpooled.EMPTY_BUFFER, false));
            server.writeAndFlush(WebSocketFrame.continuation(Unpooled.EMPTY_BUFFER, true));
            WireFrame first = client.readFrame();
            WireFrame middle = client.readFrame();
            WireFrame last = client.readFrame();
            assertEquals(RSV1, first.rsv());
            assertTrue(last.fin());
            // zlib has nothing to flush: one zero byte, with the receiver's tail a whole empty stored block.
            assertArrayEquals(new byte[] {0}, last.payload());
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(first.payload());
            all.writeBytes(middle.payload());
            all.writeBytes(last.payload());
            assertEquals(text, new String(Zlib.inflateMessage(all.toByteArray()), StandardCharsets.UTF_8));

            // The connection goes on: the next message is compressed as usual.
            server.writeAndFlush(WebSocketFrame.text(text));
            assertEquals(text, new String(Zlib.inflateMessage(client.readFrame().payload()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFragmentedMessageWrittenIsCompressedAsItGoesWithRsv1OnItsFirstFrame() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            Channel server = peer.nextAccepted();
            String[] parts = {json(100), json(5000), json(20)};
            server.write(WebSocketFrame.text(Unpooled.copiedBuffer(parts[0], StandardCharsets.UTF_8), false));
            server.write(WebSocketFrame.continuation(Unpooled.copiedBuffer(parts[1], StandardCharsets.UTF_8), false));
            server.writeAndFlush(WebSocketFrame.continuation(Unpooled.copiedBuffer(parts[2], StandardCharsets.UTF_8),
                    true));
            WireFrame first = client.readFrame();
            WireFrame second = client.readFrame();
            WireFrame last = client.readFrame();
            assertEquals(RSV1, first.rsv());
            assertEquals(0x1, first.opcode());
            assertFalse(first.fin());
            assertEquals(0, second.rsv(), "RSV1 on the first frame only");
            assertEquals(0x0, second.opcode());
            assertEquals(0, last.rsv());
            assertTrue(last.fin());
            Inflater inflater = Zlib.inflater();
            try {
                // Frames before the last end with a sync flush: each inflates on its own as it arrives.
                inflater.setInput(first.payload());
                byte[] out = new byte[200];
                int n = inflater.inflate(out);
                assertEquals(parts[0], new String(out, 0, n, StandardCharsets.UTF_8));
            } finally {
                inflater.end();
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(first.payload());
            all.writeBytes(second.payload());
            all.writeBytes(last.payload());
            assertEquals(parts[0] + parts[1] + parts[2],
                    new String(Zlib.inflateMessage(all.toByteArray()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEncodedFrameOfATopicGoesAsItIsUncompressed() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            Channel server = peer.nextAccepted();
            String text = json(4096);
            server.writeAndFlush(new EncodedFrame(EncodedFrame.encodeText(server.alloc(), text)));
            WireFrame frame = client.readFrame();
            assertEquals(0, frame.rsv(), "pre-encoded bytes are shared by many connections and pass as they are");
            assertEquals(text, frame.text());
        }
    }

    @Test
    void controlFramesAreNeverCompressed() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), WebSocketConfig.builder().compressionThreshold(0)
                .build())) {
            Channel server = peer.nextAccepted();
            server.writeAndFlush(WebSocketFrame.ping(Unpooled.copiedBuffer(json(100), StandardCharsets.UTF_8)));
            WireFrame ping = client.readFrame();
            assertEquals(0x9, ping.opcode());
            assertEquals(0, ping.rsv());
            assertEquals(json(100), ping.text());
        }
    }

    @Test
    void withContextTakeoverBothStreamsSpanMessages() throws Exception {
        try (RawClient client = start(DeflateParameters.contextTakeover(), config())) {
            Channel server = peer.nextAccepted();
            String text = json(2000);
            // The client's messages: one stream, the second refers back to the first.
            Deflater clientStream = Zlib.deflater();
            byte[] first = Zlib.compressMessage(clientStream, text.getBytes(StandardCharsets.UTF_8));
            byte[] second = Zlib.compressMessage(clientStream, text.getBytes(StandardCharsets.UTF_8));
            clientStream.end();
            assertTrue(second.length < first.length / 4, "the second refers back: " + second.length);
            client.send(Frames.client(COMPRESSED_TEXT, first), Frames.client(COMPRESSED_TEXT, second));
            assertEquals(text, utf8(collectMessage(peer.serverReceived)));
            assertEquals(text, utf8(collectMessage(peer.serverReceived)));

            // The server's: likewise, inflated with one stream.
            server.writeAndFlush(WebSocketFrame.text(text));
            server.writeAndFlush(WebSocketFrame.text(text));
            WireFrame a = client.readFrame();
            WireFrame b = client.readFrame();
            assertTrue(b.payload().length < a.payload().length / 4, "the second refers back: " + b.payload().length);
            Inflater clientInflater = Zlib.inflater();
            assertEquals(text, new String(Zlib.inflateMessage(clientInflater, a.payload()), StandardCharsets.UTF_8));
            assertEquals(text, new String(Zlib.inflateMessage(clientInflater, b.payload()), StandardCharsets.UTF_8));
            clientInflater.end();
        }
    }

    @Test
    void withoutContextTakeoverEveryMessageStandsAlone() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            Channel server = peer.nextAccepted();
            String text = json(2000);
            server.writeAndFlush(WebSocketFrame.text(text));
            server.writeAndFlush(WebSocketFrame.text(text));
            WireFrame a = client.readFrame();
            WireFrame b = client.readFrame();
            assertArrayEquals(a.payload(), b.payload(), "a fresh stream for each message");
            assertEquals(text, new String(Zlib.inflateMessage(b.payload()), StandardCharsets.UTF_8));

            byte[] message = Zlib.compressMessage(text.getBytes(StandardCharsets.UTF_8));
            client.send(Frames.client(COMPRESSED_TEXT, message), Frames.client(COMPRESSED_TEXT, message));
            assertEquals(text, utf8(collectMessage(peer.serverReceived)));
            assertEquals(text, utf8(collectMessage(peer.serverReceived)));
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- violations

    @Test
    void aMessageThatInflatesBeyondTheLimitIsRefusedWith1009BeforeMoreThanTheLimitIsMade() throws Exception {
        int limit = 64 * 1024;
        try (RawClient client = start(DeflateParameters.lean(), WebSocketConfig.builder().maxMessageSize(limit)
                .build())) {
            byte[] bomb = Zlib.compressMessage(new byte[1024 * 1024]);
            assertTrue(bomb.length <= 1100, "about 1 KiB that inflates to 1 MiB: " + bomb.length);
            client.send(Frames.client(COMPRESSED_BINARY, bomb));
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, close.closeCode());
            assertEquals("message inflates to more than the limit of 65536 bytes", close.closeReason());
            assertMadeAtMost(limit);
        }
    }

    /** What reached the application, and the buffers made for it, came to at most {@code limit} bytes. */
    private void assertMadeAtMost(int limit) {
        long bytes = 0;
        long allocated = 0;
        for (DeflatePeer.Received piece : peer.serverReceived.takeAll()) {
            bytes += piece.payload().length;
            allocated += piece.capacity();
            assertTrue(piece.capacity() <= MessageInflater.STEP, "a piece of " + piece.capacity());
        }
        assertTrue(bytes <= limit, bytes + " bytes passed on");
        assertTrue(allocated <= limit, allocated + " bytes allocated");
    }

    @Test
    void aFragmentedMessageStandingForAGibibyteIsRefusedAtTheLimit() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            // 1 GiB of zeros as one deflate stream of about 1 MiB: 1024 times the sync-flushed output of a fresh
            // deflater for 1 MiB of zeros (blocks that refer only to themselves, so they can follow each other),
            // one frame each. The first frame makes exactly the limit, the second goes past it: refused there,
            // and the rest is discarded unread.
            Deflater fresh = new Deflater(9, true);
            byte[] mebibyte = Zlib.compressPart(fresh, new byte[1024 * 1024]);
            fresh.end();
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            for (int i = 0; i < 1024; i++) {
                int firstByte = i == 0 ? 0x42 : i == 1023 ? CONTINUATION_LAST : CONTINUATION;
                frames.writeBytes(Frames.client(firstByte, mebibyte));
            }
            client.send(frames.toByteArray());
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, close.closeCode());
            assertMadeAtMost(1024 * 1024);
        }
    }

    @Test
    void invalidDeflateDataIsRefusedWith1007() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            // Block type 3 is reserved (RFC 1951 §3.2.3).
            client.send(Frames.client(COMPRESSED_TEXT, new byte[] {(byte) 0xff, (byte) 0xff, 0x00, 0x12}));
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.INVALID_PAYLOAD, close.closeCode());
            assertEquals("invalid deflate data in a compressed message", close.closeReason());
        }
    }

    @Test
    void inflatedTextThatIsNotUtf8IsRefusedWith1007() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            byte[] text = json(1000).getBytes(StandardCharsets.UTF_8);
            text[500] = (byte) 0xC0; // never valid in UTF-8
            client.send(Frames.client(COMPRESSED_TEXT, Zlib.compressMessage(text)));
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.INVALID_PAYLOAD, close.closeCode());
            assertEquals("text is not valid UTF-8", close.closeReason());
        }
    }

    @Test
    void inflatedTextThatEndsInsideACodePointIsRefusedWith1007() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            byte[] text = (json(300) + "é").getBytes(StandardCharsets.UTF_8);
            client.send(Frames.client(COMPRESSED_TEXT, Zlib.compressMessage(Arrays.copyOf(text, text.length - 1))));
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.INVALID_PAYLOAD, close.closeCode());
            assertEquals("text ends inside a UTF-8 sequence", close.closeReason());
        }
    }

    @Test
    void rsv1OnAContinuationFrameIsRefusedWith1002() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            byte[] compressed = Zlib.compressMessage(json(1000).getBytes(StandardCharsets.UTF_8));
            client.send(Frames.client(COMPRESSED_TEXT_FIRST, Arrays.copyOf(compressed, 10)),
                    Frames.client(0xC0, Arrays.copyOfRange(compressed, 10, compressed.length)));
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.PROTOCOL_ERROR, close.closeCode());
            assertEquals("RSV1 set on a continuation frame", close.closeReason());
        }
    }

    @Test
    void rsv1OnAControlFrameIsRefusedWith1002() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            client.send(Frames.client(0xC9, new byte[0]));
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.PROTOCOL_ERROR, close.closeCode());
            assertEquals("RSV1 set on a ping frame", close.closeReason());
        }
    }

    @Test
    void rsv1WithoutTheExtensionIsRefusedWith1002() throws Exception {
        try (RawClient client = start(null, config())) {
            byte[] compressed = Zlib.compressMessage(json(1000).getBytes(StandardCharsets.UTF_8));
            client.send(Frames.client(COMPRESSED_TEXT, compressed));
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.PROTOCOL_ERROR, close.closeCode());
            assertEquals("reserved bits set but no extension negotiated", close.closeReason());
        }
    }

    @Test
    void rsv2IsRefusedEvenWithTheExtension() throws Exception {
        try (RawClient client = start(DeflateParameters.lean(), config())) {
            client.send(Frames.client(0xA1, new byte[] {0}));
            WireFrame close = client.readUntilClose();
            assertEquals(CloseCodes.PROTOCOL_ERROR, close.closeCode());
            assertEquals("reserved bits set but no extension negotiated", close.closeReason());
        }
    }
}
