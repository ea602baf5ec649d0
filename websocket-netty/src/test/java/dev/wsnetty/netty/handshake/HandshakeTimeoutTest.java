package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handshake timeout: over a real socket where it fires, on an EmbeddedChannel's clock where it must not. */
class HandshakeTimeoutTest {
    private static final WebSocketConfig FAST = WebSocketConfig.builder()
            .handshakeTimeout(Duration.ofMillis(200)).build();

    @RegisterExtension
    final EventRecorder<Object> events = new EventRecorder<>("endpoint event");

    private TestServer server;
    private ExecutorService acceptPool;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (acceptPool != null) {
            acceptPool.shutdownNow();
        }
    }

    @Test
    void answers408AndClosesWhenNothingArrives() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events)).config(FAST).build());
        try (RawClient client = RawClient.connect(server.port())) {
            assertEquals(Wire.refusal(408, "Request Timeout",
                    "The WebSocket handshake request did not arrive within 200 ms"), client.readToEnd());
        }
        TestServer.assertClosedByServer(server.nextAccepted());
    }

    @Test
    void answers408AndClosesWhenOnlyPartOfTheRequestArrives() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events)).config(FAST).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgr");
            assertEquals(Wire.refusal(408, "Request Timeout",
                    "The WebSocket handshake request did not arrive within 200 ms"), client.readToEnd());
        }
        TestServer.assertClosedByServer(server.nextAccepted());
    }

    @Test
    void answers503WhenTheEndpointIsStillDecidingAtTheTimeout() throws Exception {
        acceptPool = Executors.newSingleThreadExecutor();
        CountDownLatch answered = new CountDownLatch(1);
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events) {
            @Override
            public boolean accept(HandshakeRequest request, HttpHeaders headers) {
                try {
                    return answered.await(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }).config(FAST).acceptExecutor(acceptPool).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").toString());
            assertEquals(Wire.refusal(503, "Service Unavailable",
                    "The server did not accept the WebSocket handshake within 200 ms"), client.readToEnd());
        } finally {
            answered.countDown(); // the late "yes" must change nothing
        }
    }

    @Test
    void doesNotFireAfterTheUpgrade() {
        EmbeddedChannel ch = embedded(false);
        ch.writeInbound(bytes(UpgradeRequest.to("/").toString()));
        assertEquals(Wire.switching(null), text(ch.readOutbound()));
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        assertNull(ch.readOutbound());
        // Still a live WebSocket connection: closing it sends Close 1000, not an HTTP answer.
        ch.close();
        assertEquals(Wire.then("", Wire.CLOSE_1000), text(ch.readOutbound()));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void doesNotFireOnceARequestWentToTheHttpFallback() {
        EmbeddedChannel ch = embedded(true);
        ch.writeInbound(bytes("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n"));
        assertInstanceOf(HttpRequest.class, ch.readInbound());
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void firesOnTheEmbeddedClockToo() {
        EmbeddedChannel ch = embedded(false);
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(Wire.refusal(408, "Request Timeout",
                "The WebSocket handshake request did not arrive within 200 ms"), text(ch.readOutbound()));
        assertFalse(ch.isOpen());
    }

    private static EmbeddedChannel embedded(boolean httpFallback) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ServerHandshakeConfig settings = TestServer.everywhere((channel, request, subprotocol) -> { })
                .config(FAST).httpFallback(httpFallback).build();
        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
        return ch;
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static String text(Object buf) {
        try {
            return ((ByteBuf) buf).toString(StandardCharsets.ISO_8859_1);
        } finally {
            ReferenceCountUtil.release(buf);
        }
    }
}
