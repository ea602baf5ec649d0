package dev.wsnetty.netty.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.handshake.HandshakeRequest;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.TrackingAllocator;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary request bytes, cut into reads where the fuzzer chooses, through the server's real HTTP codec and
 * {@link ServerHandshakeHandler} (with {@code HandshakeRequestValidator} behind it), as
 * {@link WebSocketPipeline#addServerHandshake} builds them. Whatever the bytes, once the handshake timeout has passed
 * the server has answered exactly once, and the answer is either
 * <ul>
 *   <li>a 101 whose {@code Sec-WebSocket-Accept} belongs to the request's key (a base64 encoding of 16 bytes), the
 *       endpoint opened and the frame handlers installed, or</li>
 *   <li>a complete HTTP refusal (400, 408, 414, 426 with {@code Sec-WebSocket-Version: 13}, 431) with
 *       {@code Connection: close}, a {@code Content-Length} that matches and a reason as body, the endpoint not
 *       opened and the channel closed;</li>
 * </ul>
 * no exception reaches the end of the pipeline, and every buffer is released.
 *
 * <p>Input layout (Jazzer's {@link FuzzedDataProvider}, numbers from the end): small or default handshake limits,
 * the read boundaries ({@link Reads}); then the request bytes. The committed inputs are in
 * {@code ServerHandshakeFuzzTestInputs/}.
 */
class ServerHandshakeFuzzTest {
    static final int MAX_CUTS = 16;
    /** Limits the fuzzer can reach with short inputs: 414 and 431. */
    private static final WebSocketConfig SMALL = WebSocketConfig.builder().maxHandshakeLineLength(64)
            .maxHandshakeHeaderSize(256).build();
    private static final Set<Integer> REFUSALS = Set.of(400, 408, 414, 426, 431);
    private static final Duration TICK = Duration.ofSeconds(1);

    @FuzzTest
    void answersAnyRequestWithA101OrAReason(FuzzedDataProvider data) {
        WebSocketConfig config = data.consumeBoolean() ? SMALL : WebSocketConfig.DEFAULT;
        List<byte[]> reads = Reads.take(data, MAX_CUTS);

        TrackingAllocator allocator = new TrackingAllocator(false);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.freezeTime();
        RecordingEndpoint endpoint = new RecordingEndpoint();
        ServerHandshakeConfig settings = TestServer.everywhere(endpoint).config(config).build();
        WebSocketPipeline.addServerHandshake(channel.pipeline(), config, new ServerHandshakeHandler(settings));
        ByteArrayOutputStream written = new ByteArrayOutputStream();

        for (byte[] read : reads) {
            if (!channel.isOpen()) {
                break;
            }
            channel.writeInbound(allocator.buffer(read.length).writeBytes(read));
            drain(channel, written);
        }
        // An incomplete request runs into the handshake timeout; a refusal's linger ends.
        advance(channel, config.handshakeTimeout().plus(TICK), written);
        advance(channel, config.closeTimeout().plus(TICK), written);

        String response = written.toString(StandardCharsets.ISO_8859_1);
        int headEnd = response.indexOf("\r\n\r\n");
        assertTrue(headEnd > 0, () -> "no complete answer: " + response);
        String head = response.substring(0, headEnd + 2);
        if (head.startsWith("HTTP/1.1 101 Switching Protocols\r\n")) {
            checkUpgrade(channel, endpoint, head);
        } else {
            checkRefusal(channel, endpoint, head, written.toByteArray(), headEnd + 4);
        }
        channel.finishAndReleaseAll();
        allocator.assertAllReleased();
    }

    private static void checkUpgrade(EmbeddedChannel channel, RecordingEndpoint endpoint, String head) {
        HandshakeRequest request = endpoint.accepted;
        assertNotNull(request, "101 without the endpoint's accept");
        assertTrue(endpoint.opened, "101 without the endpoint's opened");
        assertEquals("GET", request.method());
        byte[] key = Base64.getDecoder().decode(request.key());
        assertEquals(16, key.length, "the key's bytes");
        assertTrue(head.contains("\r\nSec-WebSocket-Accept: " + AcceptKey.of(request.key()) + "\r\n"), head);
        assertTrue(head.contains("\r\nUpgrade: websocket\r\n") && head.contains("\r\nConnection: Upgrade\r\n"), head);
        if (channel.isOpen()) {
            assertTrue(channel.pipeline().names().contains(WebSocketPipeline.DECODER), channel.pipeline().names()::toString);
            channel.close();
        }
    }

    private static void checkRefusal(EmbeddedChannel channel, RecordingEndpoint endpoint, String head, byte[] written,
                                     int bodyStart) {
        int status = Integer.parseInt(head.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        assertTrue(REFUSALS.contains(status), head);
        assertFalse(endpoint.opened, "refused, yet opened");
        assertTrue(head.contains("\r\nConnection: close\r\n"), head);
        assertEquals(status == 426, head.contains("\r\nSec-WebSocket-Version: 13\r\n"), head);
        String body = new String(written, bodyStart, written.length - bodyStart, StandardCharsets.UTF_8);
        int bodyLength = written.length - bodyStart;
        assertTrue(head.contains("\r\nContent-Length: " + bodyLength + "\r\n"), () -> head + body);
        assertFalse(body.isBlank(), () -> "a refusal without a reason: " + head);
        assertFalse(channel.isOpen(), () -> "still open after " + head);
    }

    private static void advance(EmbeddedChannel channel, Duration time, ByteArrayOutputStream written) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
        drain(channel, written);
    }

    private static void drain(EmbeddedChannel channel, ByteArrayOutputStream written) {
        Writes.drainInto(channel, written);
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Accepts every request and selects the first subprotocol offered; remembers the request. */
    private static final class RecordingEndpoint implements WebSocketEndpoint {
        /** The request {@code accept} saw, or null. */
        HandshakeRequest accepted;
        boolean opened;

        @Override
        public boolean accept(HandshakeRequest request, HttpHeaders responseHeaders) {
            assertNull(accepted, "accept called twice");
            accepted = request;
            return true;
        }

        @Override
        public String selectSubprotocol(List<String> offered) {
            return offered.isEmpty() ? null : offered.get(0);
        }

        @Override
        public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
            opened = true;
        }
    }
}
