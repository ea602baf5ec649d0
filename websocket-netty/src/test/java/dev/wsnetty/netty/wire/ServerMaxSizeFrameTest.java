package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.wsnetty.netty.testing.Bytes.counting;
import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.client;
import static dev.wsnetty.netty.testing.Frames.server;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With the default settings a frame of exactly {@code maxFrameSize} (1 MiB), which always arrives over many reads,
 * reaches the application as the one frame it was on the wire. Until issue 15 the streaming threshold meant "at
 * least" and was 16 KiB: the frame was passed on in pieces (and a frame echo sent it back as 18 frames even with
 * the threshold raised to the frame size).
 */
class ServerMaxSizeFrameTest {
    @Test
    void aMaxSizeFrameIsPassedOnAsOneFrame() throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        byte[] payload = counting(WebSocketConfig.DEFAULT.maxFrameSize());
        byte[] frame = client(BINARY, payload);
        try (TestServer server = TestServer.start(echo);
                RawClient client = RawClient.upgrade(server.port(), "/")) {
            // Two writes, so that the frame straddles reads whatever the read buffer's size.
            client.send(Arrays.copyOf(frame, 1000));
            client.send(Arrays.copyOfRange(frame, 1000, frame.length));
            client.expect(server(BINARY, payload));
            EchoEndpoint.Message message = echo.firstConnection().messages().next();
            assertArrayEquals(payload, message.payload());
            assertEquals(1, message.frames(), "frames the decoder passed on");
        }
    }
}
