package dev.wsnetty.netty.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wsnetty.CloseCodes;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.fuzz.UpgradedConnection.Delivered;
import dev.wsnetty.netty.testing.WireFrame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Arbitrary bytes after a valid opening handshake, cut into reads where the fuzzer chooses, through the pipeline the
 * server or the client really builds ({@link UpgradedConnection}). Whatever the bytes, the outcome is one of the
 * protocol's:
 * <ul>
 *   <li>no exception reaches the application (violations end at the protocol handler as a Close);</li>
 *   <li>what we write is pongs and exactly one Close, as the role frames them, and the Close is the echo of the
 *       peer's Close, a failure code (1002, 1007, 1008, 1009, 1013) with a reason, or the 1000 of our own close
 *       once the input ran out; never 1011;</li>
 *   <li>the channel ends closed, with exactly one close event for the application;</li>
 *   <li>what the application got respects the limits, and whole text messages are valid UTF-8 by the JDK;</li>
 *   <li>every buffer is released, the memory budget is back to zero, and no buffer larger than the configured
 *       limits (or the largest read) was ever allocated, whatever lengths the headers declared.</li>
 * </ul>
 * Unfinished frames and messages are then run into their deadlines by moving the frozen clock.
 *
 * <p>Input layout (Jazzer's {@link FuzzedDataProvider}, numbers from the end): whether the application gets whole
 * messages (the blocking API's aggregator) or frames, heap or direct buffers, small limits or the defaults, the read
 * boundaries ({@link Reads}); then the bytes. The committed inputs are in {@code FrameDecoderFuzzTestInputs/}.
 */
class FrameDecoderFuzzTest {
    static final int MAX_CUTS = 16;
    /** Limits small enough for the fuzzer to reach every size rule with short inputs. */
    static final WebSocketConfig SMALL = WebSocketConfig.builder().maxFrameSize(256).maxMessageSize(1024)
            .streamingThreshold(125).maxFramesPerMessage(4).frameTimeout(Duration.ofSeconds(1))
            .messageTimeout(Duration.ofSeconds(2)).build();
    private static final Set<Integer> FAILURE_CODES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD,
            CloseCodes.POLICY_VIOLATION, CloseCodes.MESSAGE_TOO_BIG, CloseCodes.TRY_AGAIN_LATER);
    private static final Duration TICK = Duration.ofSeconds(1);

    @FuzzTest
    void serverReadsArbitraryBytes(FuzzedDataProvider data) {
        readArbitraryBytes(Role.SERVER, data);
    }

    @FuzzTest
    void clientReadsArbitraryBytes(FuzzedDataProvider data) {
        readArbitraryBytes(Role.CLIENT, data);
    }

    private static void readArbitraryBytes(Role role, FuzzedDataProvider data) {
        boolean aggregate = data.consumeBoolean();
        boolean direct = data.consumeBoolean();
        WebSocketConfig config = data.consumeBoolean() ? SMALL : WebSocketConfig.DEFAULT;
        List<byte[]> reads = Reads.take(data, MAX_CUTS);

        UpgradedConnection c = UpgradedConnection.open(role, config, aggregate, direct);
        int largestRead = 0;
        for (byte[] read : reads) {
            if (!c.channel().isOpen()) {
                break;
            }
            c.read(read);
            largestRead = Math.max(largestRead, read.length);
        }
        // Unfinished frames and messages run into their deadlines; a closing handshake into its timeout.
        c.advance(max(config.frameTimeout(), config.messageTimeout()).plus(TICK));
        c.advance(config.closeTimeout().plus(TICK));
        boolean closedByPeer = !c.channel().isOpen();
        if (!closedByPeer) {
            c.close();
            c.advance(config.closeTimeout().plus(TICK));
        }
        assertFalse(c.channel().isOpen(), "the channel is still open");

        UpgradedConnection.Recorder app = c.recorder();
        if (!app.exceptions.isEmpty()) {
            AssertionError escaped = new AssertionError("an exception reached the application");
            app.exceptions.forEach(escaped::addSuppressed);
            throw escaped;
        }
        assertEquals(1, app.closeEvents.size(), () -> "close events: " + app.closeEvents);
        checkWritten(role, c.written(), app.delivered, closedByPeer);
        checkDelivered(config, aggregate, app.delivered);
        long bound = Math.max(largestRead, Math.max(config.maxFrameSize(), config.maxMessageSize())) + 1024L;
        assertTrue(c.allocator().largestAllocation() <= bound, () -> "allocated a buffer of "
                + c.allocator().largestAllocation() + " bytes (bound " + bound + ")");
        c.finishAndCheckResources();
    }

    /** Pongs, then exactly one Close with a code the situation allows, framed as {@code role} must. */
    private static void checkWritten(Role role, byte[] written, List<Delivered> delivered, boolean closedByPeer) {
        List<WireFrame> frames = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(written);
        try {
            while (in.available() > 0) {
                frames.add(WireFrame.read(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("we wrote a truncated frame: " + Arrays.toString(written), e);
        }
        assertFalse(frames.isEmpty(), "no Close was sent");
        for (int i = 0; i < frames.size(); i++) {
            WireFrame frame = frames.get(i);
            assertEquals(role == Role.CLIENT, frame.masked(), () -> "masking of " + frame);
            assertTrue(frame.fin() && frame.rsv() == 0, frame::toString);
            boolean last = i == frames.size() - 1;
            assertEquals(last ? WebSocketProtocol.OPCODE_CLOSE : WebSocketProtocol.OPCODE_PONG, frame.opcode(),
                    () -> "frames written: " + frames);
            assertTrue(frame.payload().length <= 125, frame::toString);
        }
        WireFrame close = frames.get(frames.size() - 1);
        Delivered peerClose = delivered.stream().filter(d -> d.opcode() == WebSocketProtocol.OPCODE_CLOSE)
                .findFirst().orElse(null);
        if (peerClose != null) {
            // The echo: the peer's code, or an empty Close when the peer's had none.
            assertArrayEquals(Arrays.copyOf(peerClose.payload(), Math.min(2, peerClose.payload().length)),
                    Arrays.copyOf(close.payload(), Math.min(2, close.payload().length)), close.toString());
        } else if (closedByPeer) {
            assertTrue(FAILURE_CODES.contains(close.closeCode()), () -> "failed with " + close);
            assertTrue(close.payload().length > 2, () -> "a failure Close without a reason: " + close);
            assertTrue(isUtf8(Arrays.copyOfRange(close.payload(), 2, close.payload().length)), close::toString);
        } else {
            assertEquals(CloseCodes.NORMAL_CLOSURE, close.closeCode(), close::toString);
        }
    }

    /** Within the limits; whole text messages valid UTF-8 (the decoder's validator against the JDK's decoder). */
    private static void checkDelivered(WebSocketConfig config, boolean aggregate, List<Delivered> delivered) {
        for (Delivered d : delivered) {
            if (d.opcode() == WebSocketProtocol.OPCODE_PING) {
                fail("pings are answered by the protocol handler, not passed on");
            }
            int limit = aggregate ? config.maxMessageSize() : config.maxFrameSize();
            assertTrue(d.payload().length <= limit, () -> d.payload().length + " bytes delivered, limit " + limit);
            if (aggregate && d.opcode() == WebSocketProtocol.OPCODE_TEXT) {
                assertTrue(d.fin(), "an aggregated message that is not final");
                assertTrue(isUtf8(d.payload()), () -> "invalid UTF-8 delivered as text: " + Arrays.toString(d.payload()));
            }
            if (aggregate && d.opcode() == WebSocketProtocol.OPCODE_CONTINUATION) {
                fail("the aggregator passed on a continuation frame");
            }
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
