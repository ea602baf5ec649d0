package dev.wsnetty.netty.interop;

import dev.wsnetty.Communicator;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.JsonText;
import dev.wsnetty.netty.testing.WireTap;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What the permessage-deflate interop tests with other implementations share: the messages ({@link JsonText}, as
 * the peer scripts make them), our client's side of the exchange, and the wire tap's messages in a
 * form an assertion can show.
 */
final class DeflateInterop {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** The short text every exchange ends with: under our 256-byte threshold (and node ws's 1024). */
    static final String SHORT_TEXT = "a short text";

    private DeflateInterop() {
    }

    /** Our side's settings: compression explicitly in {@code mode}, the rest the defaults (threshold 256 B). */
    static WebSocketConfig config(CompressionMode mode) {
        return WebSocketConfig.builder().compression(mode).build();
    }

    /** The three fragments the peer scripts send on "fragments", joined. */
    static String fragmentsJoined() {
        return JsonText.of(1500, 100) + JsonText.of(1500, 200) + JsonText.of(1000, 300);
    }

    /** 5000 compressible bytes: i % 7. */
    static byte[] binary() {
        byte[] bytes = new byte[5000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 7);
        }
        return bytes;
    }

    /**
     * Our client in {@code mode} against an echo server at {@code uri} (through a tap): a 4000-character text, 5000
     * bytes of binary, a 3000-byte binary message written as a stream in frames of at most 1000 bytes, "fragments"
     * (the peer answers with a text in three frames) and {@link #SHORT_TEXT}, each echo checked, then Close.
     */
    static void ourClientExchange(URI uri, CompressionMode mode) throws IOException {
        WebSocketClient client = new WebSocketClient(uri);
        client.setConfig(config(mode));
        Communicator c = client.connectOrThrow();
        try {
            String text = JsonText.of(4000, 0);
            c.writeStringMessage(text);
            assertEquals(text, c.waitForStringMessage(WAIT).data());
            c.writeBinaryMessage(binary());
            assertArrayEquals(binary(), c.waitForBinaryMessage(WAIT).data());
            byte[] streamed = JsonText.of(3000, 400).getBytes(StandardCharsets.US_ASCII);
            try (MessageOutputStream out = c.writeMessage(MessageType.BINARY, 1000)) {
                out.write(streamed);
            }
            assertArrayEquals(streamed, c.waitForBinaryMessage(WAIT).data());
            c.writeStringMessage("fragments");
            assertEquals(fragmentsJoined(), c.waitForStringMessage(WAIT).data());
            c.writeStringMessage(SHORT_TEXT);
            assertEquals(SHORT_TEXT, c.waitForStringMessage(WAIT).data());
        } finally {
            c.close();
            assertNotNull(c.awaitClose(WAIT), "the connection did not close");
        }
    }

    /**
     * The messages one way as "text compressed 1" lines: type, whether compressed (RSV1 on the first frame), frames
     * (only "n" for more than one where the split is the implementation's choice).
     */
    static String shapes(List<WireTap.Message> messages, boolean exactFrames) {
        return messages.stream().map(m -> (m.opcode() == 1 ? "text" : "binary")
                        + (m.compressed() ? " compressed " : " plain ")
                        + (exactFrames || m.frames() == 1 ? String.valueOf(m.frames()) : "n"))
                .collect(Collectors.joining("\n"));
    }

    /** {@code lines} joined by newlines, for comparing with {@link #shapes}. */
    static String lines(String... lines) {
        return String.join("\n", lines);
    }
}
