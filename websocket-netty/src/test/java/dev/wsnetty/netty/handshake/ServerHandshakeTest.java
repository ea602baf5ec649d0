package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Successful handshakes over a real socket: the exact 101, hooks, and what the pipeline becomes. */
class ServerHandshakeTest {
    private static final List<String> FRAME_PIPELINE = List.of(
            WebSocketPipeline.DECODER, WebSocketPipeline.ENCODER, WebSocketPipeline.PROTOCOL);

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
    void answersTheExampleKeyOfRfc6455WithTheExact101() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(events);
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/chat").toString());
            assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                    + "\r\n", client.readHead());
            HandshakeRequest request = endpoint.accepted().request();
            assertEquals("GET", request.method());
            assertEquals("/chat", request.path());
            assertEquals("example.com", request.host());
            assertEquals(UpgradeRequest.KEY, request.key());
            assertEquals("websocket", request.header("UPGRADE"));
            assertEquals("127.0.0.1", ((InetSocketAddress) request.remoteAddress()).getHostString());
            RecordingEndpoint.Opened opened = endpoint.opened();
            assertTrue(opened.onEventLoop());
            assertEquals(FRAME_PIPELINE, opened.pipeline());
            assertNull(opened.subprotocol());
        }
    }

    @Test
    void acceptsConnectionTokenListsAndAnyCaseOfWebsocket() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(events);
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = RawClient.connect(server.port())) {
            // Firefox sends "keep-alive, Upgrade".
            client.send(UpgradeRequest.to("/").header("Upgrade", "WebSocket")
                    .header("Connection", "keep-alive, Upgrade").toString());
            assertEquals(Wire.switching(null), client.readHead());
            endpoint.assertUpgraded();
        }
    }

    @Test
    void sendsTheEndpointsResponseHeadersFirstAndDropsItsHandshakeHeaders() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(events, "Set-Cookie", "sid=42", "X-Raw", "raw value",
                "Connection", "keep-alive", "Sec-WebSocket-Extensions", "permessage-deflate");
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").toString());
            assertEquals(Wire.switching(null, "Set-Cookie: sid=42", "X-Raw: raw value"), client.readHead());
            endpoint.assertUpgraded();
        }
    }

    @Test
    void answersWithTheSubprotocolTheEndpointSelected() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(events) {
            @Override
            public String selectSubprotocol(List<String> offered) {
                return offered.contains("superchat") ? "superchat" : null;
            }
        };
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").header("Sec-WebSocket-Protocol", "chat, superchat").toString());
            assertEquals(Wire.switching("superchat"), client.readHead());
            assertEquals(List.of("chat", "superchat"), endpoint.accepted().request().subprotocols());
            assertEquals("superchat", endpoint.opened().subprotocol());
        }
    }

    @Test
    void passesAFrameSentWithTheRequestToTheFrameHandlersNotToHttp() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(events);
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(Wire.concat(UpgradeRequest.to("/").toString(), Wire.MASKED_HI));
            assertEquals(Wire.switching(null), client.readHead());
            endpoint.assertUpgraded();
            endpoint.assertReceived("hi");
            Channel ch = server.nextAccepted();
            assertEquals(List.of(WebSocketPipeline.DECODER, WebSocketPipeline.ENCODER, WebSocketPipeline.PROTOCOL,
                    "received"), RecordingEndpoint.names(ch));
        }
    }

    @Test
    void runsAcceptOnTheExecutorAndHoldsBytesThatArriveMeanwhile() throws Exception {
        acceptPool = Executors.newSingleThreadExecutor(r -> new Thread(r, "accept-pool"));
        CountDownLatch frameSent = new CountDownLatch(1);
        RecordingEndpoint endpoint = new RecordingEndpoint(events) {
            @Override
            public boolean accept(HandshakeRequest request, HttpHeaders headers) {
                super.accept(request, headers);
                try {
                    // Blocking is allowed here: this is the accept executor, not the event loop.
                    return frameSent.await(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
        server = TestServer.start(TestServer.everywhere(endpoint).acceptExecutor(acceptPool).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").toString());
            assertEquals("accept-pool", endpoint.accepted().thread());
            client.send(Wire.MASKED_HI);
            frameSent.countDown();
            assertEquals(Wire.switching(null), client.readHead());
            assertTrue(endpoint.opened().onEventLoop());
            endpoint.assertReceived("hi");
            assertTrue(server.nextAccepted().config().isAutoRead(), "reading resumed after the upgrade");
        }
    }

    @Test
    void passesAFrameSentWithTheRequestWhenAcceptRunsOnTheExecutor() throws Exception {
        acceptPool = Executors.newSingleThreadExecutor(r -> new Thread(r, "accept-pool"));
        RecordingEndpoint endpoint = new RecordingEndpoint(events);
        server = TestServer.start(TestServer.everywhere(endpoint).acceptExecutor(acceptPool).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(Wire.concat(UpgradeRequest.to("/").toString(), Wire.MASKED_HI));
            assertEquals(Wire.switching(null), client.readHead());
            endpoint.assertUpgraded();
            endpoint.assertReceived("hi");
        }
    }
}
