package dev.wsnetty.netty.deflate;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A peer that limits our compressor's window below 15 bits (RFC 7692 §7.1.2: {@code server_max_window_bits} in a
 * client's offer, {@code client_max_window_bits} in a server's answer) is honoured although
 * {@link java.util.zip.Deflater} cannot shrink its window: our messages are then Huffman-coded without
 * back-references. Checked with a real zlib inflater limited to that window (CPython's), which refuses a normal
 * deflate stream of the same message (the control that shows the check can fail).
 */
class SmallWindowTest {
    private static final int WINDOW_BITS = 9;

    /**
     * 4,000 bytes of text whose second half repeats the first 2,000 bytes back: a 15-bit deflater refers that far
     * back, beyond a 9-bit (512-byte) window.
     */
    private static final String MESSAGE;

    static {
        Random random = new Random(17);
        StringBuilder half = new StringBuilder();
        while (half.length() < 2000) {
            half.append((char) ('a' + random.nextInt(26)));
        }
        MESSAGE = half.toString() + half;
    }

    @BeforeEach
    void needsPython() {
        String missing = WindowLimitedInflater.whyUnavailable();
        assumeTrue(missing == null, missing);
    }

    @Test
    void aFifteenBitDeflateStreamIsRefusedByTheNineBitInflater() {
        byte[] normal = Zlib.compressMessage(MESSAGE.getBytes(StandardCharsets.UTF_8));
        WindowLimitedInflater.DataRefused refused = assertThrows(WindowLimitedInflater.DataRefused.class,
                () -> WindowLimitedInflater.inflate(WINDOW_BITS, normal));
        assertTrue(refused.getMessage().contains("invalid distance too far back"), refused.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionMode.class, names = {"LEAN", "CONTEXT_TAKEOVER"})
    void theServerHonoursASmallServerWindow(CompressionMode mode) throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (TestServer server = TestServer.start(echo, WebSocketConfig.builder().compression(mode).build());
             RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").header("Sec-WebSocket-Extensions",
                    "permessage-deflate; server_max_window_bits=" + WINDOW_BITS).toString());
            String head = client.readHead();
            assertTrue(head.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; "
                    + (mode == CompressionMode.LEAN ? "server_no_context_takeover; client_no_context_takeover; " : "")
                    + "server_max_window_bits=" + WINDOW_BITS + "\r\n"), head);
            for (int round = 0; round < 2; round++) { // the second message must not refer to the first either
                client.sendText(MESSAGE);
                WireFrame echoed = client.readFrame();
                assertCompressedForTheWindow(echoed);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionMode.class, names = {"LEAN", "CONTEXT_TAKEOVER"})
    void theClientHonoursASmallClientWindow(CompressionMode mode) throws Exception {
        CompletableFuture<String> offer = new CompletableFuture<>();
        CompletableFuture<WireFrame> first = new CompletableFuture<>();
        CompletableFuture<WireFrame> second = new CompletableFuture<>();
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            offer.complete(ex.request);
            ex.send(ex.switching("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover;"
                    + " client_max_window_bits=" + WINDOW_BITS));
            first.complete(ex.readFrame());
            second.complete(ex.readFrame());
            ex.answerClose();
        })) {
            WebSocketClient client = WebSocketClient.of("ws://127.0.0.1:" + server.port() + "/");
            client.setConfig(WebSocketConfig.builder().compression(mode).build());
            Communicator communicator = client.connectOrThrow();
            assertTrue(offer.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .contains("; client_max_window_bits\r\n"), offer.getNow(null));
            communicator.writeStringMessage(MESSAGE);
            communicator.writeStringMessage(MESSAGE);
            assertCompressedForTheWindow(first.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertCompressedForTheWindow(second.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            communicator.close();
            communicator.awaitClose(Await.DEADLINE);
        }
    }

    /** RSV1 set, smaller than the message, and inflated by the 9-bit inflater to the message. */
    private static void assertCompressedForTheWindow(WireFrame frame) throws Exception {
        assertEquals(4, frame.rsv(), "RSV1: compressed");
        assertTrue(frame.payload().length < MESSAGE.length(), "compressed to " + frame.payload().length + " bytes");
        assertArrayEquals(MESSAGE.getBytes(StandardCharsets.UTF_8),
                WindowLimitedInflater.inflate(WINDOW_BITS, frame.payload()));
    }
}
