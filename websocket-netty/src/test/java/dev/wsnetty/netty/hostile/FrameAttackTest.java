package dev.wsnetty.netty.hostile;

import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.Hostile;
import dev.wsnetty.netty.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.BINARY_FIRST;
import static dev.wsnetty.netty.testing.Frames.CONTINUATION;
import static dev.wsnetty.netty.testing.Frames.PING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frame headers that lie about their length, and random bytes, sent to a {@link dev.wsnetty.netty.server.WebSocketServer}
 * after (or instead of) the opening handshake. A length is judged from the header alone: the answer comes at once,
 * before any payload, and nothing of the declared size is allocated. The frame pipeline has the same decoder (its
 * one-frame-per-rule tests are {@code ServerFramingRulesTest} and {@code ServerLimitsAndUtf8Test}).
 */
@Tag(Hostile.TAG)
class FrameAttackTest {
    /** Attackers sending the same header at once. */
    private static final int ATTACKERS = Hostile.size(4, 100);
    /** Connections sending random bytes, each with its own seed. */
    private static final int RANDOM_CONNECTIONS = Hostile.size(40, 1000);
    /** The close codes a failed connection may get for random bytes: every rule's code. */
    private static final Set<Integer> FAILURE_CODES = Set.of(1002, 1007, 1008, 1009);
    /** First header bytes that break no rule by themselves: text, binary, continuation, final or not; ping, pong. */
    private static final byte[] PLAUSIBLE_FIRST_BYTES = {(byte) 0x81, (byte) 0x82, 0x01, 0x02, 0x00, (byte) 0x80,
            (byte) 0x89, (byte) 0x8A};

    private final AttackedServer server = AttackedServer.start();
    private final List<RawClient> attackers = new ArrayList<>();

    @AfterEach
    void stop() {
        attackers.forEach(RawClient::reset);
        server.close();
    }

    static Stream<Arguments> lyingHeaders() {
        int limit = AttackedServer.CONFIG.maxFrameSize();
        return Stream.of(
                Arguments.of("2^63-1, the largest length", Frames.client(BINARY, 64, Long.MAX_VALUE, new byte[0]),
                        "1009 frame of 9223372036854775807 bytes exceeds the limit of " + limit),
                Arguments.of("2^63, the most significant bit set", Frames.client(BINARY, 64, Long.MIN_VALUE,
                        new byte[0]), "1002 64-bit length with the most significant bit set"),
                Arguments.of("2^64-1, all bits set", Frames.client(BINARY, 64, -1L, new byte[0]),
                        "1002 64-bit length with the most significant bit set"),
                Arguments.of("2^32, past any int", Frames.client(BINARY, 64, 1L << 32, new byte[0]),
                        "1009 frame of 4294967296 bytes exceeds the limit of " + limit),
                Arguments.of("one byte over the limit", Frames.client(BINARY, 64, limit + 1L, new byte[0]),
                        "1009 frame of " + (limit + 1) + " bytes exceeds the limit of " + limit),
                Arguments.of("5 in the 16-bit form", Frames.client(BINARY, 16, 5, new byte[0]),
                        "1002 length 5 not in its shortest form"),
                Arguments.of("200 in the 64-bit form", Frames.client(BINARY, 64, 200, new byte[0]),
                        "1002 length 200 not in its shortest form"),
                Arguments.of("65535 in the 64-bit form", Frames.client(BINARY, 64, 65535, new byte[0]),
                        "1002 length 65535 not in its shortest form"),
                Arguments.of("a ping of 2^63-1", Frames.client(PING, 64, Long.MAX_VALUE, new byte[0]),
                        "1002 ping frame payload over 125 bytes"),
                Arguments.of("a continuation taking the message past the limit", Bytes.concat(
                        Frames.client(BINARY_FIRST, new byte[1000]),
                        Frames.client(CONTINUATION, 64, limit, new byte[0])),
                        "1009 message of " + (limit + 1000) + " bytes or more exceeds the limit of " + limit));
    }

    /**
     * Four connections (100 under the profile) send a header declaring an absurd or badly encoded
     * length and no payload: each gets its close code and reason at once, then the end of the connection.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lyingHeaders")
    void aLyingLengthIsAnsweredFromTheHeader(String what, byte[] header, String expected) throws Exception {
        for (int i = 0; i < ATTACKERS; i++) {
            RawClient attacker = RawClient.upgrade(server.port(), AttackedServer.ECHO);
            attackers.add(attacker);
            attacker.send(header);
        }
        server.assertServed();
        for (RawClient attacker : attackers) {
            assertEquals(expected, Attacks.close(attacker));
            attacker.socket().shutdownOutput(); // the client's part of the closing handshake: its FIN
            Attacks.assertEndedByServer(attacker);
        }
        server.assertReleased();
    }

    /**
     * Random bytes after the 101, 4 KiB per connection: every connection is failed with the code of the rule the
     * bytes broke and a reason. Plain random bytes nearly always break the first header's rules (RSV bits, mask);
     * with a plausible first header (a defined opcode, FIN as the opcode allows, masked, random length), what
     * follows breaks the later rules too: UTF-8 (1007), the size limits (1009), the frame timeout for a frame
     * announced longer than what came (1008).
     */
    @ParameterizedTest(name = "plausible first header: {0}")
    @ValueSource(booleans = {false, true})
    void randomBytesAfterTheHandshakeFailTheConnection(boolean plausibleStart) throws Exception {
        Map<Integer, Integer> codes = new TreeMap<>();
        for (int seed = 0; seed < RANDOM_CONNECTIONS; seed++) {
            Random random = new Random(seed);
            byte[] garbage = new byte[4096];
            random.nextBytes(garbage);
            if (plausibleStart) {
                garbage[0] = PLAUSIBLE_FIRST_BYTES[random.nextInt(PLAUSIBLE_FIRST_BYTES.length)];
                garbage[1] |= (byte) 0x80;
            }
            RawClient attacker = RawClient.upgrade(server.port(), AttackedServer.ECHO);
            attackers.add(attacker);
            attacker.send(garbage);
        }
        server.assertServed();
        for (RawClient attacker : attackers) {
            String close = Attacks.close(attacker);
            int code = Integer.parseInt(close.substring(0, 4));
            assertTrue(FAILURE_CODES.contains(code), close);
            assertFalse(close.substring(5).isEmpty(), "a reason: " + close);
            codes.merge(code, 1, Integer::sum);
            attacker.socket().shutdownOutput();
            Attacks.assertEndedByServer(attacker);
        }
        System.out.println(RANDOM_CONNECTIONS + " connections sending random bytes after the handshake (plausible"
                + " first header: " + plausibleStart + "), close codes: " + codes);
        server.assertReleased();
    }

    /** Random bytes instead of the handshake request: an HTTP refusal with a reason, then the end. */
    @Test
    void randomBytesInsteadOfTheHandshakeAreRefused() throws Exception {
        Map<String, Integer> statuses = new TreeMap<>();
        for (int seed = 0; seed < RANDOM_CONNECTIONS; seed++) {
            byte[] garbage = new byte[4096];
            new Random(seed).nextBytes(garbage);
            RawClient attacker = RawClient.connect(server.port());
            attackers.add(attacker);
            attacker.send(garbage);
        }
        server.assertServed();
        for (RawClient attacker : attackers) {
            String refusal = Attacks.refusal(attacker);
            String status = refusal.substring(0, refusal.indexOf(':'));
            assertTrue(Set.of("400 Bad Request", "408 Request Timeout", "414 Request-URI Too Long",
                    "431 Request Header Fields Too Large").contains(status), refusal);
            assertTrue(refusal.length() > status.length() + 2, "a reason: " + refusal);
            statuses.merge(status, 1, Integer::sum);
            Attacks.assertEndedByServer(attacker);
        }
        System.out.println(RANDOM_CONNECTIONS + " connections sending random bytes instead of a handshake: "
                + statuses);
        server.assertReleased();
    }
}
