package dev.wsnetty.netty.codec;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.DecoderHarness.Feed;
import dev.wsnetty.netty.codec.DecoderHarness.Kind;
import dev.wsnetty.netty.testing.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.wsnetty.netty.codec.DecoderHarness.show;
import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.hex;
import static dev.wsnetty.netty.testing.Bytes.repeat;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static dev.wsnetty.netty.testing.Frames.closePayload;
import static dev.wsnetty.netty.testing.Frames.frame;
import static dev.wsnetty.netty.testing.Frames.masked;
import static dev.wsnetty.netty.testing.Frames.unmasked;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {
    private static final WebSocketConfig DEFAULT = WebSocketConfig.DEFAULT;
    private static final int TEXT = WebSocketProtocol.OPCODE_TEXT;
    private static final int BINARY = WebSocketProtocol.OPCODE_BINARY;
    private static final int CONT = WebSocketProtocol.OPCODE_CONTINUATION;
    private static final int CLOSE = WebSocketProtocol.OPCODE_CLOSE;
    private static final int PING = WebSocketProtocol.OPCODE_PING;
    private static final int PONG = WebSocketProtocol.OPCODE_PONG;

    /** Every way of cutting the input into reads, with every kind of input buffer. */
    static Stream<Arguments> feeds() {
        List<Arguments> list = new ArrayList<>();
        for (Feed feed : Feed.values()) {
            for (Kind kind : Kind.values()) {
                list.add(Arguments.of(feed, kind));
            }
        }
        return list.stream();
    }

    /** Runs {@code input} through a fresh decoder for every feed and kind; checks the events and leaks. */
    private static void assertDecodes(WebSocketConfig config, Role role, byte[] input, List<String> expected) {
        for (Feed feed : Feed.values()) {
            for (Kind kind : Kind.values()) {
                try (DecoderHarness h = new DecoderHarness(config, role, feed, kind)) {
                    h.feed(input);
                    assertEquals(expected, h.events(), feed + "/" + kind);
                }
            }
        }
    }

    private static String text(String s) {
        return "text:" + show(utf8(s));
    }

    // ---------------------------------------------------------------- wire format

    @Test
    void rfc6455SectionFiveSevenExamples() {
        // Single-frame unmasked and masked "Hello", a fragmented "Hello", pings, 256 B and 64 KiB binaries.
        assertDecodes(DEFAULT, Role.CLIENT, hex("810548656c6c6f"), List.of(text("Hello")));
        assertDecodes(DEFAULT, Role.SERVER, hex("818537fa213d7f9f4d5158"), List.of(text("Hello")));
        assertDecodes(DEFAULT, Role.CLIENT, hex("010348656c80026c6f"), List.of(text("Hello")));
        assertDecodes(DEFAULT, Role.CLIENT, hex("890548656c6c6f"), List.of("ping:" + show(utf8("Hello"))));
        assertDecodes(DEFAULT, Role.SERVER, hex("8a8537fa213d7f9f4d5158"), List.of("pong:" + show(utf8("Hello"))));
        byte[] b256 = new byte[256];
        new Random(5).nextBytes(b256);
        assertDecodes(DEFAULT, Role.CLIENT, concat(hex("827e0100"), b256), List.of("binary:" + show(b256)));
        byte[] b64k = new byte[65536];
        new Random(6).nextBytes(b64k);
        assertDecodes(DEFAULT, Role.CLIENT, concat(hex("827f0000000000010000"), b64k), List.of("binary:" + show(b64k)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("feeds")
    void everyLengthFormForBothRoles(Feed feed, Kind kind) {
        Random random = new Random(11);
        for (Role role : Role.values()) {
            for (int size : new int[] {0, 1, 7, 8, 9, 125, 126, 127, 1000, 65535, 65536}) {
                byte[] binary = new byte[size];
                random.nextBytes(binary);
                byte[] text = repeat('*', size);
                try (DecoderHarness h = new DecoderHarness(DEFAULT, role, feed, kind)) {
                    h.feed(concat(Frames.to(role, true, BINARY, binary), Frames.to(role, true, TEXT, text)));
                    assertEquals(List.of("binary:" + show(binary), "text:" + show(text)), h.events(), role + " " + size);
                    if (feed == Feed.WHOLE) {
                        assertEquals(2, h.frames().size(), "a frame that arrived whole comes out whole");
                    }
                }
            }
        }
    }

    @Test
    void wholeFrameIsASliceUnmaskedInPlaceAndTheLastOneTheBufferItself() {
        byte[] payload = utf8("Hello, in-place world");
        byte[] wire = concat(masked(true, TEXT, payload), masked(true, BINARY, payload));
        for (Kind kind : new Kind[] {Kind.HEAP, Kind.DIRECT}) {
            try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, kind)) {
                ByteBuf in = kind == Kind.HEAP ? Unpooled.wrappedBuffer(wire.clone())
                        : DecoderHarness.direct(wire, 0, wire.length);
                h.read(in);
                assertEquals(2, h.frames().size());
                for (WebSocketFrame f : h.frames()) {
                    assertArrayEquals(payload, ByteBufUtil.getBytes(f.content()));
                }
                assertSame(in, h.frames().get(0).content().unwrap(), "a payload before the end is a slice of the inbound buffer");
                assertSame(in, h.frames().get(1).content(), "the payload that ends the inbound buffer is the buffer itself");
                // The inbound buffer itself now holds the clear text: no copy was made.
                assertArrayEquals(payload, ByteBufUtil.getBytes(in, 6, payload.length));
                assertEquals(0, h.allocator.count(), "nothing allocated for whole frames");
            }
        }
    }

    @Test
    void anInboundBufferPassedOnAsAPayloadIsNotTouchedAgainWhenTheNextHandlerReleasesItAtOnce() {
        byte[] payload = utf8("released downstream at once");
        List<String> seen = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(DEFAULT, Role.SERVER),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        WebSocketFrame frame = (WebSocketFrame) msg;
                        seen.add(frame.text());
                        frame.release(); // the pooled buffer may be reused at once, so the decoder must not read it again
                    }
                });
        for (byte[] wire : new byte[][] {masked(true, TEXT, payload),
                concat(masked(true, TEXT, payload), masked(true, TEXT, payload))}) {
            ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(wire.length).writeBytes(wire);
            channel.writeInbound(in);
            channel.checkException();
            assertEquals(0, in.refCnt(), "released once, by the handler that got it as the last payload");
        }
        assertEquals(List.of("released downstream at once", "released downstream at once", "released downstream at once"), seen);
        assertFalse(channel.finish());
    }

    @Test
    void readOnlyInputIsCopiedNotModified() {
        byte[] payload = utf8("read-only input must stay masked");
        byte[] wire = masked(true, TEXT, payload);
        byte[] backing = wire.clone();
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.READ_ONLY)) {
            h.read(Unpooled.wrappedBuffer(backing).asReadOnly());
            assertEquals(List.of(text("read-only input must stay masked")), h.events());
            assertArrayEquals(wire, backing, "the read-only input was not written to");
            assertEquals(1, h.allocator.count(), "one copy of exactly the payload");
        }
    }

    @Test
    void unmaskedInputForAClientIsASliceWithoutAllocation() {
        byte[] payload = repeat('x', 300);
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.CLIENT, Feed.WHOLE, Kind.READ_ONLY)) {
            h.feed(unmasked(true, BINARY, payload));
            assertEquals(List.of("binary:" + show(payload)), h.events());
            assertEquals(0, h.allocator.count(), "no mask, so even read-only input is only sliced");
        }
    }

    @Test
    void smallFrameSplitAcrossReadsIsCopiedOnceIntoABufferOfItsSize() {
        byte[] payload = new byte[1000];
        new Random(9).nextBytes(payload);
        byte[] wire = masked(true, BINARY, payload);
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
            h.read(Arrays.copyOfRange(wire, 0, 3));      // header split
            h.read(Arrays.copyOfRange(wire, 3, 300));    // header completes, payload starts
            assertTrue(h.frames().isEmpty());
            h.read(Arrays.copyOfRange(wire, 300, 700));
            h.read(Arrays.copyOfRange(wire, 700, wire.length));
            assertEquals(1, h.frames().size());
            ByteBuf content = h.frames().get(0).content();
            assertArrayEquals(payload, ByteBufUtil.getBytes(content));
            assertEquals(1000, content.capacity(), "exactly the frame's size");
            assertEquals(2, h.allocator.count(), "the 14-byte header stash and the payload buffer");
        }
    }

    @Test
    void headerArrivingInPiecesWithFramesBeforeIt() {
        byte[] first = masked(true, TEXT, utf8("one"));
        byte[] second = frame(0x82, 64, 70000, new byte[70000], true, 0x01020304);
        byte[] input = concat(first, Arrays.copyOfRange(second, 0, 5));
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.HEAP)) {
            h.read(input);
            assertEquals(List.of(text("one")), h.events());
            for (int i = 5; i < 14; i++) {
                h.read(Arrays.copyOfRange(second, i, i + 1));
            }
            h.read(Arrays.copyOfRange(second, 14, second.length));
            assertEquals(List.of(text("one"), "binary:" + show(new byte[70000])), h.events());
        }
    }

    // ---------------------------------------------------------------- streaming of large frames

    @Test
    void largeFrameIsPassedOnInPiecesAsItArrives() {
        WebSocketConfig config = WebSocketConfig.builder().streamingThreshold(1024).build();
        byte[] payload = new byte[5000];
        new Random(12).nextBytes(payload);
        byte[] wire = masked(true, BINARY, payload);
        try (DecoderHarness h = new DecoderHarness(config, Role.SERVER, Feed.WHOLE, Kind.HEAP)) {
            int[] cuts = {0, 8 + 100, 1500, 1501, 4000, wire.length};
            for (int i = 0; i + 1 < cuts.length; i++) {
                h.read(Arrays.copyOfRange(wire, cuts[i], cuts[i + 1]));
                assertEquals(i + 1, h.frames().size(), "one piece per read");
            }
            List<WebSocketFrame> pieces = h.frames();
            assertEquals(BINARY, pieces.get(0).opcode());
            for (int i = 0; i < pieces.size(); i++) {
                if (i > 0) {
                    assertEquals(CONT, pieces.get(i).opcode());
                }
                assertEquals(i == pieces.size() - 1, pieces.get(i).isFinal());
            }
            assertEquals(List.of(100, 1392, 1, 2499, 1008),
                    pieces.stream().map(f -> f.content().readableBytes()).toList());
            assertEquals(List.of("binary:" + show(payload)), h.events());
            assertEquals(0, h.allocator.count(), "pieces are slices, never copies");
        }
    }

    @Test
    void streamedPiecesKeepTheWireFramesOpcodeAndFin() {
        WebSocketConfig config = WebSocketConfig.builder().streamingThreshold(200).build();
        byte[] a = repeat('a', 300);
        byte[] b = repeat('b', 300);
        byte[] first = masked(false, TEXT, a);      // non-final wire frame
        byte[] second = masked(true, CONT, b);      // final continuation
        try (DecoderHarness h = new DecoderHarness(config, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
            h.read(Arrays.copyOfRange(first, 0, 100));
            h.read(Arrays.copyOfRange(first, 100, first.length));
            h.read(Arrays.copyOfRange(second, 0, 50));
            h.read(Arrays.copyOfRange(second, 50, second.length));
            List<String> shape = new ArrayList<>();
            for (WebSocketFrame f : h.frames()) {
                shape.add(WebSocketProtocol.opcodeName(f.opcode()) + (f.isFinal() ? "/fin" : ""));
            }
            assertEquals(List.of("text", "continuation", "continuation", "continuation/fin"), shape);
            assertEquals(List.of("text:" + show(concat(a, b))), h.events());
        }
    }

    /** The threshold is the largest frame passed on whole: an exact max-size frame is not streamed. */
    @Test
    void frameOfExactlyTheThresholdIsPassedOnWholeOneByteLargerInPieces() {
        for (int size : new int[] {WebSocketConfig.DEFAULT.maxFrameSize(), 200_000}) {
            WebSocketConfig config = WebSocketConfig.builder().maxSize(size).streamingThreshold(size).build();
            for (int extra : new int[] {0, 1}) {
                int length = size + extra;
                WebSocketConfig c = extra == 0 ? config : config.toBuilder().maxSize(length).build();
                byte[] payload = new byte[length];
                new Random(length).nextBytes(payload);
                byte[] wire = masked(true, BINARY, payload);
                try (DecoderHarness h = new DecoderHarness(c, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
                    for (int at = 0; at < wire.length; at += 65536) {
                        h.read(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 65536)));
                    }
                    assertEquals(extra == 0 ? 1 : (wire.length + 65535) / 65536, h.frames().size(),
                            length + " bytes with threshold " + size);
                    assertEquals(List.of("binary:" + show(payload)), h.events());
                }
            }
        }
    }

    @Test
    void theDefaultsPassAMaxSizeFrameOnWhole() {
        byte[] payload = new byte[WebSocketConfig.DEFAULT.maxFrameSize()];
        byte[] wire = masked(true, BINARY, payload);
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
            for (int at = 0; at < wire.length; at += 10_000) {
                h.read(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 10_000)));
            }
            assertEquals(1, h.frames().size());
            assertEquals(payload.length, h.frames().get(0).content().readableBytes());
        }
    }

    @Test
    void largeFrameThatArrivesWholeIsOneFrame() {
        WebSocketConfig config = WebSocketConfig.builder().streamingThreshold(200).build();
        byte[] payload = repeat('z', 5000);
        try (DecoderHarness h = new DecoderHarness(config, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
            h.feed(masked(true, TEXT, payload));
            assertEquals(1, h.frames().size());
            assertTrue(h.frames().get(0).isFinal());
        }
    }

    // ---------------------------------------------------------------- fragmentation and control frames

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void controlFramesBetweenFragmentsComeOutImmediately(Role role) {
        byte[] input = concat(
                Frames.to(role, false, TEXT, utf8("fragment1")),
                Frames.to(role, true, PING, utf8("pongme 1!")),
                Frames.to(role, false, CONT, utf8("fragment2")),
                Frames.to(role, true, PONG, utf8("unsolicited")),
                Frames.to(role, true, CONT, utf8("fragment3")));
        assertDecodes(DEFAULT, role, input, List.of("ping:" + show(utf8("pongme 1!")),
                "pong:" + show(utf8("unsolicited")), text("fragment1fragment2fragment3")));

        // The ping is out before the rest of the message has even arrived.
        try (DecoderHarness h = new DecoderHarness(DEFAULT, role, Feed.WHOLE, Kind.HEAP)) {
            h.feed(concat(Frames.to(role, false, TEXT, utf8("fragment1")), Frames.to(role, true, PING, utf8("p"))));
            assertEquals(List.of("ping:70"), h.events());
            List<WebSocketFrame> frames = h.frames();
            assertEquals(TEXT, frames.get(0).opcode());
            assertFalse(frames.get(0).isFinal());
            h.feed(Frames.to(role, true, CONT, utf8("fragment2")));
            assertEquals(List.of("ping:70", text("fragment1fragment2")), h.events());
        }
    }

    @Test
    void emptyFragmentsAndEmptyFrames() {
        // Autobahn 6.1.2 / 6.1.3 and 1.1.1 / 1.2.1.
        assertDecodes(DEFAULT, Role.SERVER, concat(masked(false, TEXT, new byte[0]), masked(false, CONT, new byte[0]),
                masked(true, CONT, new byte[0])), List.of("text:"));
        assertDecodes(DEFAULT, Role.SERVER, concat(masked(false, TEXT, new byte[0]),
                masked(false, CONT, utf8("middle frame payload")), masked(true, CONT, new byte[0])),
                List.of(text("middle frame payload")));
        assertDecodes(DEFAULT, Role.SERVER, concat(masked(true, BINARY, new byte[0]), masked(true, PING, new byte[0]),
                masked(true, TEXT, new byte[0])), List.of("binary:", "ping:", "text:"));
    }

    // ---------------------------------------------------------------- protocol violations

    /**
     * Violation cases: name, config, role, input, expected events. Each run also appends a valid text
     * frame, which must be ignored.
     */
    static Stream<Arguments> violations() {
        List<Arguments> cases = new ArrayList<>();
        byte[] hello = utf8("Hello, world!");
        byte[] validText = masked(true, TEXT, hello);
        byte[] ping = masked(true, PING, new byte[0]);
        String echo = "text:" + show(hello);
        for (int rsv = 1; rsv <= 7; rsv++) {
            cases.add(violation("RSV " + rsv + " (Autobahn 3.x)", Role.SERVER,
                    concat(validText, frame(0x80 | rsv << 4 | TEXT, hello, true, Frames.KEY), ping), echo, 1002));
        }
        cases.add(violation("RSV on a close frame (3.7)", Role.SERVER, frame(0xF8, new byte[0], true, 7), 1002));
        for (int op : new int[] {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
            cases.add(violation("reserved opcode " + op + " (4.x)", Role.SERVER,
                    concat(validText, masked(true, op, utf8("reserved opcode payload")), ping), echo, 1002));
        }
        cases.add(violation("unmasked frame to a server", Role.SERVER, unmasked(true, TEXT, hello), 1002));
        cases.add(violation("masked frame to a client", Role.CLIENT, masked(true, TEXT, hello), 1002));
        cases.add(violation("fragmented ping (5.1)", Role.SERVER,
                concat(masked(false, PING, utf8("fragment1")), masked(true, CONT, utf8("fragment2"))), 1002));
        cases.add(violation("fragmented pong (5.2)", Role.SERVER, masked(false, PONG, utf8("fragment1")), 1002));
        cases.add(violation("fragmented close", Role.SERVER, masked(false, CLOSE, closePayload(1000, new byte[0])), 1002));
        cases.add(violation("ping of 126 bytes (2.5)", Role.SERVER, masked(true, PING, repeat(0xFE, 126)), 1002));
        cases.add(violation("close of 126 bytes (7.3.6)", Role.SERVER,
                masked(true, CLOSE, closePayload(1000, repeat('*', 124))), 1002));
        cases.add(violation("ping with 64-bit length", Role.SERVER,
                frame(0x89, 64, 5, utf8("hello"), true, 1), 1002));
        cases.add(violation("continuation without a message (5.9)", Role.SERVER,
                concat(masked(true, CONT, utf8("non-continuation payload")), validText), 1002));
        cases.add(violation("non-final continuation without a message (5.12)", Role.SERVER,
                concat(masked(false, CONT, utf8("non-continuation payload")), validText), 1002));
        cases.add(violation("text inside a fragmented text (5.18)", Role.SERVER,
                concat(masked(false, TEXT, utf8("fragment1")), masked(true, TEXT, utf8("fragment2"))), 1002));
        cases.add(violation("binary inside a fragmented text", Role.SERVER,
                concat(masked(false, TEXT, utf8("fragment1")), masked(true, BINARY, utf8("fragment2"))), 1002));
        cases.add(violation("continuation after a finished message (5.15)", Role.SERVER,
                concat(masked(false, TEXT, utf8("fragment1")), masked(true, CONT, utf8("fragment2")),
                        masked(false, CONT, utf8("fragment3")), masked(true, TEXT, utf8("fragment4"))),
                text("fragment1fragment2"), 1002));
        cases.add(violation("64-bit length with the top bit set", Role.SERVER,
                frame(0x82, 64, 0x8000000000000005L, utf8("hello"), true, 1), 1002));
        cases.add(violation("64-bit length with every bit set", Role.CLIENT,
                frame(0x82, 64, -1L, new byte[0], false, 0), 1002));
        cases.add(violation("16-bit form for 125 bytes", Role.SERVER,
                frame(0x82, 16, 125, new byte[125], true, 1), 1002));
        cases.add(violation("16-bit form for 0 bytes", Role.SERVER, frame(0x82, 16, 0, new byte[0], true, 1), 1002));
        cases.add(violation("64-bit form for 65535 bytes", Role.SERVER,
                frame(0x82, 64, 65535, new byte[65535], true, 1), 1002));
        cases.add(violation("64-bit form for 126 bytes", Role.CLIENT,
                frame(0x82, 64, 126, new byte[126], false, 0), 1002));
        cases.add(violation("close with a 1-byte payload (7.3.2)", Role.SERVER, masked(true, CLOSE, utf8("a")), 1002));
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            cases.add(violation("close code " + code + " (7.9.x, 7.13.x)", Role.SERVER,
                    masked(true, CLOSE, closePayload(code, new byte[0])), 1002));
        }
        cases.add(violation("close reason with a surrogate (7.5.1)", Role.SERVER,
                masked(true, CLOSE, closePayload(1000, hex("cebae1bdb9cf83cebcceb5eda080656469746564"))), 1007));
        cases.add(violation("close reason ending inside a 2-byte sequence", Role.SERVER,
                masked(true, CLOSE, closePayload(1000, hex("ce"))), 1007));
        cases.add(violation("close reason ending inside a 3-byte sequence", Role.CLIENT,
                unmasked(true, CLOSE, closePayload(1000, hex("abe282"))), 1007));
        cases.add(violation("text not valid UTF-8 (6.3.1)", Role.SERVER,
                masked(true, TEXT, hex("cebae1bdb9cf83cebcceb5eda080656469746564")), 1007));
        cases.add(violation("text ending inside a sequence, empty last fragment", Role.SERVER,
                concat(masked(false, TEXT, hex("ce")), masked(true, CONT, new byte[0])), 1007));
        return cases.stream();
    }

    private static Arguments violation(String name, Role role, byte[] input, int code) {
        return Arguments.of(name, role, input, List.of("error:" + code));
    }

    private static Arguments violation(String name, Role role, byte[] input, String before, int code) {
        return Arguments.of(name, role, input, List.of(before, "error:" + code));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void violationIsReportedOnceWithItsCodeAfterTheFramesBeforeIt(String name, Role role, byte[] input, List<String> expected) {
        // Whatever follows the violation, even a valid frame in the same read, is released unread.
        assertDecodes(DEFAULT, role, concat(input, Frames.to(role, true, TEXT, utf8("ignored"))), expected);
    }

    @Test
    void validCloseCodesAreAccepted() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
            byte[] payload = closePayload(code, utf8("bye ¢€"));
            assertDecodes(DEFAULT, Role.SERVER, masked(true, CLOSE, payload), List.of("close:" + show(payload)));
        }
        assertDecodes(DEFAULT, Role.SERVER, masked(true, CLOSE, new byte[0]), List.of("close:"));
        byte[] longest = closePayload(1000, repeat('*', 123)); // 7.3.5: 125 bytes
        assertDecodes(DEFAULT, Role.SERVER, masked(true, CLOSE, longest), List.of("close:" + show(longest)));
    }

    @Test
    void everythingAfterACloseFrameIsIgnored() {
        byte[] close = masked(true, CLOSE, closePayload(1000, new byte[0]));
        String closeEvent = "close:03e8";
        // Autobahn 7.1.2 - 7.1.5: a second close, a ping, a text, the rest of a fragmented message.
        assertDecodes(DEFAULT, Role.SERVER, concat(close, masked(true, CLOSE, new byte[0])), List.of(closeEvent));
        assertDecodes(DEFAULT, Role.SERVER, concat(close, masked(true, PING, new byte[0])), List.of(closeEvent));
        assertDecodes(DEFAULT, Role.SERVER, concat(close, masked(true, TEXT, utf8("Hello World!"))), List.of(closeEvent));
        assertDecodes(DEFAULT, Role.SERVER, concat(masked(false, TEXT, utf8("fragment1")), close,
                masked(true, CONT, utf8("fragment2"))), List.of(closeEvent));
        // Even garbage that would be a protocol error is not reported.
        assertDecodes(DEFAULT, Role.SERVER, concat(close, hex("ff00ff00")), List.of(closeEvent));
    }

    @Test
    void frameOverTheLimitFailsFromItsHeaderAlone() {
        WebSocketConfig config = WebSocketConfig.builder().maxFrameSize(1000).maxMessageSize(5000).build();
        byte[] header = Arrays.copyOfRange(masked(true, BINARY, new byte[1001]), 0, 8);
        assertDecodes(config, Role.SERVER, header, List.of("error:1009"));
        assertDecodes(config, Role.SERVER, frame(0x82, 64, 1L << 40, new byte[0], true, 5), List.of("error:1009"));
        assertDecodes(config, Role.SERVER, masked(true, BINARY, new byte[1000]), List.of("binary:" + show(new byte[1000])));
    }

    @Test
    void messageOverTheLimitFailsAtTheHeaderOfTheFragmentThatCrossesIt() {
        WebSocketConfig config = WebSocketConfig.builder().maxFrameSize(1000).maxMessageSize(1500).build();
        byte[] first = masked(false, BINARY, new byte[800]);
        byte[] secondHeader = Arrays.copyOfRange(masked(true, CONT, new byte[701]), 0, 8);
        for (Feed feed : Feed.values()) {
            try (DecoderHarness h = new DecoderHarness(config, Role.SERVER, feed, Kind.DIRECT)) {
                h.feed(concat(first, secondHeader));
                assertEquals(1009, h.errorCode());
                int delivered = h.frames().stream().mapToInt(f -> f.content().readableBytes()).sum();
                assertEquals(800, delivered, "the first fragment was passed on, nothing of the second");
            }
        }
        // Exactly at the limit is fine, and the count starts over with the next message.
        byte[] ok = concat(masked(false, BINARY, new byte[800]), masked(true, CONT, new byte[700]),
                masked(true, BINARY, new byte[1000]), masked(false, TEXT, repeat('a', 1000)), masked(true, CONT, repeat('b', 500)));
        assertDecodes(config, Role.SERVER, ok, List.of("binary:" + show(new byte[1500]), "binary:" + show(new byte[1000]),
                "text:" + show(concat(repeat('a', 1000), repeat('b', 500)))));
    }

    @Test
    void errorIsReportedOnceAndLaterReadsAreReleased() {
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.HEAP)) {
            h.feed(unmasked(true, TEXT, utf8("bad")));
            h.feed(masked(true, TEXT, utf8("good")));
            h.feed(hex("ffffffff"));
            assertEquals(List.of("error:1002"), h.events());
        }
    }

    // ---------------------------------------------------------------- UTF-8

    static Stream<Arguments> autobahnUtf8() {
        return Arrays.stream(AutobahnUtf8Cases.CASES).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("autobahnUtf8")
    void autobahnUtf8PayloadsAsOneTextFrame(String id, String payloadHex, boolean valid) {
        byte[] payload = hex(payloadHex);
        assertDecodes(DEFAULT, Role.SERVER, masked(true, TEXT, payload),
                List.of(valid ? "text:" + show(payload) : "error:1007"));
        // Streamed in pieces when the frame is above the threshold: a valid ASCII prefix pushes it there.
        WebSocketConfig streaming = WebSocketConfig.builder().streamingThreshold(125).build();
        byte[] padded = concat(repeat('a', 130), payload);
        assertDecodes(streaming, Role.SERVER, masked(true, TEXT, padded),
                List.of(valid ? "text:" + show(padded) : "error:1007"));
    }

    @Test
    void textIsValidatedAcrossFragments() {
        byte[] hello = hex("48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121");
        // 6.2.2: split on a code point boundary; 6.2.3 / 6.2.4: one byte per frame, then an empty final frame.
        assertDecodes(DEFAULT, Role.SERVER, concat(masked(false, TEXT, Arrays.copyOfRange(hello, 0, 15)),
                masked(true, CONT, Arrays.copyOfRange(hello, 15, hello.length))), List.of("text:" + show(hello)));
        assertDecodes(DEFAULT, Role.SERVER, oneBytePerFrame(hello), List.of("text:" + show(hello)));
        byte[] kosme = hex("cebae1bdb9cf83cebcceb5");
        assertDecodes(DEFAULT, Role.SERVER, oneBytePerFrame(kosme), List.of("text:" + show(kosme)));
        // 6.3.2: the surrogate is caught even though each frame holds one byte.
        assertDecodes(DEFAULT, Role.SERVER, oneBytePerFrame(hex("cebae1bdb9cf83cebcceb5eda080656469746564")),
                List.of("error:1007"));
        // A control frame in the middle of a code point does not disturb the validation.
        assertDecodes(DEFAULT, Role.SERVER, concat(masked(false, TEXT, hex("e282")), masked(true, PING, new byte[0]),
                masked(true, CONT, hex("ac"))), List.of("ping:", "text:e282ac"));
        // Binary messages are not validated; a text after one starts a fresh validation.
        assertDecodes(DEFAULT, Role.SERVER, concat(masked(true, BINARY, hex("ff")), masked(true, TEXT, hex("41"))),
                List.of("binary:ff", "text:41"));
        assertDecodes(DEFAULT, Role.SERVER, concat(masked(false, TEXT, hex("41")), masked(true, CONT, hex("e2"))),
                List.of("error:1007"));
    }

    private static byte[] oneBytePerFrame(byte[] message) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < message.length; i++) {
            frames.add(masked(false, i == 0 ? TEXT : CONT, new byte[] {message[i]}));
        }
        frames.add(masked(true, CONT, new byte[0]));
        return concat(frames.toArray(new byte[0][]));
    }

    @Test
    void failsFastInsideFragmentedMessages() {
        // 6.4.1 / 6.4.2: three frames sent seconds apart; the failure must come with the second frame.
        String[][] parts = {{"cebae1bdb9cf83cebcceb5", "f4908080", "656469746564"},
            {"cebae1bdb9cf83cebcceb5f4", "90", "8080656469746564"}};
        for (String[] p : parts) {
            try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
                h.feed(masked(false, TEXT, hex(p[0])));
                assertEquals(1, h.frames().size(), "the first part was passed on");
                assertTrue(h.events().isEmpty(), "no error while the text can still be valid");
                h.feed(masked(false, CONT, hex(p[1])));
                assertEquals(List.of("error:1007"), h.events());
                h.feed(masked(true, CONT, hex(p[2])));
                assertEquals(List.of("error:1007"), h.events());
            }
        }
    }

    @ParameterizedTest(name = "streaming threshold {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {125, 16384})
    void failsFastInsideOneFrameWhosePayloadIsStillArriving(int threshold) {
        // 6.4.3 / 6.4.4: one non-final 21-byte text frame, its payload written in three chops.
        WebSocketConfig config = WebSocketConfig.builder().streamingThreshold(threshold).build();
        String[][] chops = {{"cebae1bdb9cf83cebcceb5", "f4908080", "656469746564"},
            {"cebae1bdb9cf83cebcceb5f4", "90", "8080656469746564"}};
        for (String[] c : chops) {
            byte[] payload = hex(c[0] + c[1] + c[2]);
            byte[] wire = masked(false, TEXT, payload);
            int headerLength = wire.length - payload.length;
            int firstEnd = headerLength + c[0].length() / 2;
            int secondEnd = firstEnd + c[1].length() / 2;
            for (Kind kind : Kind.values()) {
                try (DecoderHarness h = new DecoderHarness(config, Role.SERVER, Feed.WHOLE, kind)) {
                    h.read(Arrays.copyOfRange(wire, 0, firstEnd));
                    assertTrue(h.received().isEmpty(), "a valid prefix ending in a lead byte is not an error");
                    h.read(Arrays.copyOfRange(wire, firstEnd, secondEnd));
                    assertEquals(List.of("error:1007"), h.events(), "fails as soon as the bad byte arrives");
                    h.read(Arrays.copyOfRange(wire, secondEnd, wire.length));
                    h.read(masked(true, CONT, new byte[0]));
                    assertEquals(List.of("error:1007"), h.events());
                }
            }
        }
    }

    @Test
    void failsFastInsideALargeStreamedFrame() {
        WebSocketConfig config = WebSocketConfig.builder().streamingThreshold(1024).build();
        byte[] payload = concat(repeat('a', 3000), hex("c0"), repeat('b', 3000));
        byte[] wire = masked(true, TEXT, payload);
        try (DecoderHarness h = new DecoderHarness(config, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
            h.read(Arrays.copyOfRange(wire, 0, 2000));
            h.read(Arrays.copyOfRange(wire, 2000, 3000));
            assertEquals(2, h.frames().size());
            h.read(Arrays.copyOfRange(wire, 3000, 3100)); // contains the c0
            assertEquals(1007, h.errorCode());
            assertEquals(2, h.frames().size(), "the piece with the bad byte is not passed on");
            h.read(Arrays.copyOfRange(wire, 3100, wire.length));
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void partialFrameIsReleasedWhenTheChannelCloses() {
        byte[] wire = masked(true, BINARY, new byte[500]);
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
            h.read(Arrays.copyOfRange(wire, 0, 100));
            assertEquals(1, h.allocator.count());
            h.channel.close();
            h.allocator.assertAllReleased();
        }
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.DIRECT)) {
            h.read(Arrays.copyOfRange(wire, 0, 3)); // header stash
            assertEquals(1, h.allocator.count());
            h.channel.pipeline().remove(FrameDecoder.class);
            h.allocator.assertAllReleased();
        }
    }

    @Test
    void otherMessagesPassThrough() {
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.HEAP)) {
            h.channel.writeInbound("not a buffer");
            assertEquals(List.of("not a buffer"), h.received());
        }
    }

    @Test
    void asksForMoreInputWhenAReadYieldsNoFrameAndAutoReadIsOff() {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        try (DecoderHarness h = new DecoderHarness(DEFAULT, Role.SERVER, Feed.WHOLE, Kind.HEAP)) {
            h.channel.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
                @Override
                public void read(io.netty.channel.ChannelHandlerContext ctx) {
                    reads.incrementAndGet();
                    ctx.read();
                }
            });
            h.channel.config().setAutoRead(false);
            int before = reads.get();
            byte[] wire = masked(true, TEXT, utf8("hello"));
            h.read(Arrays.copyOfRange(wire, 0, 4));
            assertEquals(before + 1, reads.get(), "an incomplete frame asks for the next read");
            h.read(Arrays.copyOfRange(wire, 4, wire.length));
            assertEquals(before + 1, reads.get(), "a frame was passed on: reading more is downstream's call");
            assertEquals(List.of(text("hello")), h.events());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("feeds")
    void randomTrafficDecodesToTheSameMessagesHoweverItIsCut(Feed feed, Kind kind) {
        Random random = new Random(99);
        WebSocketConfig config = WebSocketConfig.builder().streamingThreshold(300).build();
        List<byte[]> wire = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int m = 0; m < 60; m++) {
            boolean text = random.nextBoolean();
            int fragments = 1 + random.nextInt(3);
            byte[][] parts = new byte[fragments][];
            for (int f = 0; f < fragments; f++) {
                int size = random.nextInt(8) == 0 ? random.nextInt(3000) : random.nextInt(200);
                parts[f] = text ? utf8("é€".repeat(size / 5) + "x".repeat(size % 5)) : new byte[size];
                if (!text) {
                    random.nextBytes(parts[f]);
                }
                wire.add(masked(f == fragments - 1, f == 0 ? (text ? TEXT : BINARY) : CONT, parts[f]));
                if (f == fragments - 1) {
                    expected.add((text ? "text:" : "binary:") + show(concat(parts)));
                }
                if (random.nextInt(4) == 0) {
                    byte[] ping = new byte[random.nextInt(126)];
                    random.nextBytes(ping);
                    wire.add(masked(true, PING, ping));
                    expected.add("ping:" + show(ping));
                }
            }
        }
        try (DecoderHarness h = new DecoderHarness(config, Role.SERVER, feed, kind, 1234)) {
            h.feed(concat(wire.toArray(new byte[0][])));
            assertEquals(expected, h.events());
        }
    }
}
