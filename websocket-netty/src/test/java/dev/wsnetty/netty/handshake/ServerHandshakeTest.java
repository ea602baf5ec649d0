package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.netty.handshake.TestServer.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Successful handshakes over a real socket: the exact 101, hooks, and what the pipeline becomes. */
class ServerHandshakeTest {
    private static final List<String> FRAME_PIPELINE = List.of(
            WebSocketPipeline.DECODER, WebSocketPipeline.ENCODER, WebSocketPipeline.PROTOCOL);

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
        RecordingEndpoint endpoint = new RecordingEndpoint();
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = server.connect()) {
            client.send(Wire.handshake("/chat").toString());
            assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                    + "\r\n", client.readHead());
            HandshakeRequest request = endpoint.acceptedRequest.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("GET", request.method());
            assertEquals("/chat", request.path());
            assertEquals("example.com", request.host());
            assertEquals(Wire.KEY, request.key());
            assertEquals("websocket", request.header("UPGRADE"));
            assertEquals("127.0.0.1", ((InetSocketAddress) request.remoteAddress()).getHostString());
            assertTrue(endpoint.upgradedOnEventLoop.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(FRAME_PIPELINE, endpoint.pipelineWhenUpgraded.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals("null", endpoint.upgradedSubprotocol.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void acceptsConnectionTokenListsAndAnyCaseOfWebsocket() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint()).build());
        try (RawClient client = server.connect()) {
            // Firefox sends "keep-alive, Upgrade".
            client.send(Wire.handshake("/").header("Upgrade", "WebSocket")
                    .header("Connection", "keep-alive, Upgrade").toString());
            assertEquals(Wire.switching(null), client.readHead());
        }
    }

    @Test
    void sendsTheEndpointsResponseHeadersFirstAndDropsItsHandshakeHeaders() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint("Set-Cookie", "sid=42", "X-Raw", "raw value",
                "Connection", "keep-alive", "Sec-WebSocket-Extensions", "permessage-deflate");
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = server.connect()) {
            client.send(Wire.handshake("/").toString());
            assertEquals(Wire.switching(null, "Set-Cookie: sid=42", "X-Raw: raw value"), client.readHead());
        }
    }

    @Test
    void answersWithTheSubprotocolTheEndpointSelected() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint() {
            @Override
            public String selectSubprotocol(List<String> offered) {
                return offered.contains("superchat") ? "superchat" : null;
            }
        };
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = server.connect()) {
            client.send(Wire.handshake("/").header("Sec-WebSocket-Protocol", "chat, superchat").toString());
            assertEquals(Wire.switching("superchat"), client.readHead());
            assertEquals(List.of("chat", "superchat"),
                    endpoint.acceptedRequest.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).subprotocols());
            assertEquals("superchat", endpoint.upgradedSubprotocol.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void passesAFrameSentWithTheRequestToTheFrameHandlersNotToHttp() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint();
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        try (RawClient client = server.connect()) {
            client.send(Wire.concat(Wire.handshake("/").toString(), Wire.MASKED_HI));
            assertEquals(Wire.switching(null), client.readHead());
            endpoint.received.awaitText("hi");
            Channel ch = server.nextAccepted();
            assertEquals(List.of(WebSocketPipeline.DECODER, WebSocketPipeline.ENCODER, WebSocketPipeline.PROTOCOL,
                    "received"), RecordingEndpoint.names(ch));
        }
    }

    @Test
    void runsAcceptOnTheExecutorAndHoldsBytesThatArriveMeanwhile() throws Exception {
        acceptPool = Executors.newSingleThreadExecutor(r -> new Thread(r, "accept-pool"));
        CountDownLatch frameSent = new CountDownLatch(1);
        RecordingEndpoint endpoint = new RecordingEndpoint() {
            @Override
            public boolean accept(HandshakeRequest request, HttpHeaders headers) {
                super.accept(request, headers);
                try {
                    // Blocking is allowed here: this is the accept executor, not the event loop.
                    return frameSent.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        };
        server = TestServer.start(TestServer.everywhere(endpoint).acceptExecutor(acceptPool).build());
        try (RawClient client = server.connect()) {
            client.send(Wire.handshake("/").toString());
            assertEquals("accept-pool", endpoint.acceptThread.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            client.send(Wire.MASKED_HI);
            frameSent.countDown();
            assertEquals(Wire.switching(null), client.readHead());
            assertTrue(endpoint.upgradedOnEventLoop.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            endpoint.received.awaitText("hi");
            assertTrue(server.nextAccepted().config().isAutoRead(), "reading resumed after the upgrade");
        }
    }

    @Test
    void passesAFrameSentWithTheRequestWhenAcceptRunsOnTheExecutor() throws Exception {
        acceptPool = Executors.newSingleThreadExecutor(r -> new Thread(r, "accept-pool"));
        RecordingEndpoint endpoint = new RecordingEndpoint();
        server = TestServer.start(TestServer.everywhere(endpoint).acceptExecutor(acceptPool).build());
        try (RawClient client = server.connect()) {
            client.send(Wire.concat(Wire.handshake("/").toString(), Wire.MASKED_HI));
            assertEquals(Wire.switching(null), client.readHead());
            endpoint.received.awaitText("hi");
        }
    }
}
