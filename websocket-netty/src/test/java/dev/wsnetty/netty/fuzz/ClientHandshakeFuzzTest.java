package dev.wsnetty.netty.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.ClientHandshakeHandler;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.client.ClientHandshakeResult;
import dev.wsnetty.netty.client.WebSocketHandshakeException;
import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.TrackingAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary response bytes, cut into reads where the fuzzer chooses, through the client's real HTTP codec and
 * {@link ClientHandshakeHandler} (with {@code HandshakeResponseValidator} behind it), as
 * {@link WebSocketPipeline#addClientHandshake} builds them. Whatever the bytes, once the handshake timeout has passed
 * the handshake's future is complete, and with one of three outcomes:
 * <ul>
 *   <li>success: status 101, one {@code Sec-WebSocket-Accept} that matches the key sent, {@code Upgrade: websocket},
 *       a subprotocol that was offered (or none), the frame handlers installed and the HTTP handlers gone;</li>
 *   <li>a refusal: not successful, with a reason, and the channel closed;</li>
 *   <li>a {@link WebSocketHandshakeException} whose message says why, and the channel closed;</li>
 * </ul>
 * no exception reaches the end of the pipeline, and every buffer is released.
 *
 * <p>Every {@value #ACCEPT_PLACEHOLDER} in a read is replaced by the accept value the client expects (its key is
 * random), so that the fuzzer can reach the checks after it. Input layout (Jazzer's {@link FuzzedDataProvider},
 * numbers from the end): the read boundaries ({@link Reads}); then the response bytes. The committed inputs are in
 * {@code ClientHandshakeFuzzTestInputs/}.
 */
class ClientHandshakeFuzzTest {
    static final String ACCEPT_PLACEHOLDER = "@ACCEPT@";
    static final List<String> OFFERED = List.of("chat", "superchat");
    static final int MAX_CUTS = 16;
    /** Small enough for the fuzzer to reach the header limits with short inputs. */
    private static final WebSocketConfig CONFIG = WebSocketConfig.builder().maxHandshakeLineLength(64)
            .maxHandshakeHeaderSize(256).build();
    private static final Duration TICK = Duration.ofSeconds(1);

    @FuzzTest
    void judgesAnyResponseAndSaysWhy(FuzzedDataProvider data) {
        List<byte[]> reads = Reads.take(data, MAX_CUTS);

        TrackingAllocator allocator = new TrackingAllocator(false);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.freezeTime();
        CompletableFuture<ClientHandshakeResult> result = new CompletableFuture<>();
        ClientHandshakeRequest request = ClientHandshakeRequest.builder("example.com").subprotocols(OFFERED)
                .config(CONFIG).build();
        ClientHandshakeHandler handshake = new ClientHandshakeHandler(request, result, pipeline -> { });
        WebSocketPipeline.addClientHandshake(channel.pipeline(), CONFIG, handshake);
        String accept = AcceptKey.of(handshake.key());

        for (byte[] read : reads) {
            if (!channel.isOpen()) {
                break;
            }
            byte[] bytes = new String(read, StandardCharsets.ISO_8859_1).replace(ACCEPT_PLACEHOLDER, accept)
                    .getBytes(StandardCharsets.ISO_8859_1);
            channel.writeInbound(allocator.buffer(bytes.length).writeBytes(bytes));
            releaseQueued(channel);
        }
        channel.advanceTimeBy(CONFIG.handshakeTimeout().plus(TICK).toNanos(), TimeUnit.NANOSECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();

        assertTrue(result.isDone(), "the handshake's future is not complete after its timeout");
        ClientHandshakeResult outcome;
        try {
            outcome = result.join();
        } catch (CompletionException e) {
            WebSocketHandshakeException failure = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            assertNotNull(failure.getMessage());
            assertFalse(failure.getMessage().isBlank(), "a handshake failure that does not say why");
            assertFalse(channel.isOpen(), () -> "failed (" + failure.getMessage() + ") but still open");
            finish(channel, allocator);
            return;
        }
        if (outcome.success()) {
            checkSuccess(channel, outcome, accept);
            channel.close();
        } else {
            String reason = outcome.failureReason().orElse("");
            assertFalse(reason.isBlank(), () -> "a refusal without a reason: " + outcome);
            assertFalse(channel.isOpen(), () -> "refused (" + reason + ") but still open");
        }
        finish(channel, allocator);
    }

    private static void checkSuccess(EmbeddedChannel channel, ClientHandshakeResult outcome, String accept) {
        assertEquals(101, outcome.statusCode(), outcome::toString);
        assertTrue(outcome.failureReason().isEmpty(), outcome::toString);
        List<String> accepts = outcome.headers().getAll("Sec-WebSocket-Accept");
        assertEquals(1, accepts.size(), outcome::toString);
        assertEquals(accept, accepts.get(0).trim(), outcome::toString);
        assertTrue("websocket".equalsIgnoreCase(outcome.headers().get("Upgrade").trim()), outcome::toString);
        outcome.subprotocol().ifPresent(p -> assertTrue(OFFERED.contains(p), outcome::toString));
        if (channel.isOpen()) {
            List<String> names = channel.pipeline().names();
            assertTrue(names.contains(WebSocketPipeline.DECODER), names::toString);
            assertFalse(names.contains(WebSocketPipeline.HTTP_CODEC) || names.contains(WebSocketPipeline.HANDSHAKE),
                    names::toString);
        }
    }

    private static void finish(EmbeddedChannel channel, TrackingAllocator allocator) {
        channel.finishAndReleaseAll();
        allocator.assertAllReleased();
    }

    /** Releases what the client wrote (its request, frames) and anything that reached the end of the pipeline. */
    private static void releaseQueued(EmbeddedChannel channel) {
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }
}
