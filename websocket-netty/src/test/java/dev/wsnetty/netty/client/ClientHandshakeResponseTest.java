package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.HandshakeResponse;
import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.deflate.ClientDeflateOffer;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the client takes the server's answer to its handshake, over real loopback sockets against a
 * {@link ScriptedServer} answering exact bytes: a valid 101 switches the pipeline to frames and reaches the success
 * listener; a refusal, or a 101 that breaks a rule, is reported as the connector's unsuccessful result and, through
 * {@link WebSocketClient}, as the failure listener's response, a null, an exception or a failed future.
 */
class ClientHandshakeResponseTest {
    private static final Duration WAIT = Await.DEADLINE;

    // ---------------------------------------------------------------- success

    @Test
    void validUpgradeSucceedsWithMixedCaseUpgradeAndConnectionList() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: WebSocket\r\n"
                    + "Connection: keep-alive, Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + AcceptKey.of(ex.key) + "\r\n"
                    + "Sec-WebSocket-Protocol: superchat\r\n"
                    + "X-Server: scripted\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(ClientHandshakeRequest.builder("127.0.0.1")
                    .port(server.port()).subprotocols("chat", "superchat").build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            assertTrue(result.success(), result.toString());
            assertEquals(101, result.statusCode());
            assertEquals("Switching Protocols", result.reasonPhrase());
            assertEquals("superchat", result.subprotocol().orElseThrow());
            assertEquals("scripted", result.headers().get("x-server"));
            assertEquals("", result.body());
            assertTrue(result.failureReason().isEmpty());
            assertTrue(connection.channel().isActive());

            List<String> names = onEventLoop(connection.channel(), () -> connection.channel().pipeline().names());
            assertTrue(names.containsAll(List.of(WebSocketPipeline.DECODER, WebSocketPipeline.ENCODER,
                    WebSocketPipeline.PROTOCOL)), names.toString());
            assertFalse(names.contains(WebSocketPipeline.HTTP_CODEC), names.toString());
            assertFalse(names.contains(WebSocketPipeline.HANDSHAKE), names.toString());
            assertNull(connection.channel().pipeline().get(HttpClientCodec.class));
            assertNull(connection.channel().pipeline().get(ClientHandshakeHandler.class));
            connection.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void pipelineIsSwitchedWhenTheFutureCompletes() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching());
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            // Dependents registered before completion run inside complete(), i.e. on the event loop.
            CompletableFuture<List<String>> namesAtCompletion = connection.handshake()
                    .thenApply(r -> connection.channel().pipeline().names());
            List<String> names = namesAtCompletion.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(names.contains(WebSocketPipeline.HTTP_CODEC), names.toString());
            assertFalse(names.contains(WebSocketPipeline.HANDSHAKE), names.toString());
            assertTrue(names.contains(WebSocketPipeline.PROTOCOL), names.toString());
            connection.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void interimResponsesBeforeThe101AreSkipped() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" + ex.switching());
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(result.success(), result.toString());
            assertNull(result.headers().get("Link"));
            connection.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void framesSentWithThe101InOneWriteReachTheHandlerAfterTheProtocolHandler() throws Exception {
        byte[] frames = {(byte) 0x81, 0x05, 'h', 'e', 'l', 'l', 'o', (byte) 0x82, 0x02, 0x01, 0x02};
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching().getBytes(StandardCharsets.ISO_8859_1), frames);
            ex.awaitClientClose();
        })) {
            EventRecorder<Read> reads = new EventRecorder<>("read");
            CompletableFuture<ClientHandshakeResult> handshake = new CompletableFuture<>();
            Consumer<ChannelPipeline> onOpen = p -> p.addAfter(WebSocketPipeline.PROTOCOL, "capture",
                    new ReadRecorder(handshake, reads));
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build(), onOpen);
            connection.handshake().whenComplete((result, failure) -> handshake.complete(result));
            assertTrue(connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).success());

            // Whole frames, each after the handshake future completed.
            reads.assertNext(new Read(true, WebSocketProtocol.OPCODE_TEXT + ":68656c6c6f"),
                    new Read(true, WebSocketProtocol.OPCODE_BINARY + ":0102"));
            connection.channel().close().syncUninterruptibly();
            reads.assertExhausted();
        }
    }

    /**
     * What reached the handler after the protocol handler.
     *
     * @param handshakeDone whether the handshake future had completed by then
     * @param frame         the frame's opcode and payload in hex, or "raw:" and the bytes when undecoded
     */
    private record Read(boolean handshakeDone, String frame) {
    }

    /** Records each read as a {@link Read}, and releases it. */
    private static final class ReadRecorder extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<ClientHandshakeResult> handshake;
        private final EventRecorder<Read> reads;

        ReadRecorder(CompletableFuture<ClientHandshakeResult> handshake, EventRecorder<Read> reads) {
            this.handshake = handshake;
            this.reads = reads;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof WebSocketFrame) {
                    WebSocketFrame frame = (WebSocketFrame) msg;
                    reads.record(new Read(handshake.isDone(),
                            frame.opcode() + ":" + ByteBufUtil.hexDump(frame.content())));
                } else if (msg instanceof ByteBuf) {
                    reads.record(new Read(handshake.isDone(), "raw:" + ByteBufUtil.hexDump((ByteBuf) msg)));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    @Test
    void successListenerGetsThe101AndRunsOnTheCallingThreadBeforeConnectReturns() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching("X-Server-Note: hi"));
            ex.answerClose();
        })) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            AtomicReference<HandshakeResponse> seen = new AtomicReference<>();
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicInteger failures = new AtomicInteger();
            client.setOnHandshakeSuccess((c, response) -> {
                assertSame(client, c);
                seen.set(response);
                thread.set(Thread.currentThread());
            });
            client.setOnHandshakeFailure((c, response) -> failures.incrementAndGet());
            Communicator communicator = client.connect();
            assertNotNull(communicator);
            assertSame(Thread.currentThread(), thread.get());
            assertEquals(101, seen.get().statusCode());
            assertEquals("Switching Protocols", seen.get().reasonPhrase());
            assertEquals("hi", seen.get().header("x-server-note"));
            assertEquals("websocket", seen.get().header("UPGRADE"));
            assertEquals(0, failures.get());
            communicator.close();
            assertNotNull(communicator.awaitClose(WAIT));
        }
    }

    @Test
    void successListenerThatThrowsClosesTheConnection() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching());
            ex.awaitClientClose();
            clientGone.countDown();
        })) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setOnHandshakeSuccess((c, response) -> {
                throw new IllegalStateException("listener refuses");
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, client::connect);
            assertEquals("listener refuses", e.getMessage());
            assertTrue(clientGone.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the connection was left open");
        }
    }

    @Test
    void failingUpgradeCallbackFailsTheHandshake() {
        CompletableFuture<ClientHandshakeResult> result = new CompletableFuture<>();
        ClientHandshakeRequest request = ClientHandshakeRequest.builder("example.com").build();
        ClientHandshakeHandler handler = new ClientHandshakeHandler(request, result, p -> {
            throw new IllegalStateException("no room for the application");
        });
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketPipeline.addClientHandshake(channel.pipeline(), request.config(), handler);
        for (ByteBuf sent; (sent = channel.readOutbound()) != null; ) {
            sent.release(); // the request
        }
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + AcceptKey.of(handler.key()) + "\r\n\r\n",
                StandardCharsets.ISO_8859_1));
        ExecutionException e = assertThrows(ExecutionException.class, result::get);
        WebSocketHandshakeException cause = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertTrue(cause.getMessage().contains("no room for the application"), cause.getMessage());
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    // ---------------------------------------------------------------- refusals: the connector's result

    @Test
    void refusalCarriesStatusReasonHeadersAndBody() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\nX-Why: not allowed\r\n\r\nnope!");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(result.success());
            assertEquals(403, result.statusCode());
            assertEquals("Forbidden", result.reasonPhrase());
            assertEquals("nope!", result.body());
            assertEquals("not allowed", result.headers().get("x-why"));
            assertEquals("not allowed", result.headers().get("X-WHY"));
            assertEquals("5", result.headers().get("content-length"));
            assertEquals(List.of("Content-Length", "X-Why"), List.copyOf(result.headers().names()));
            assertTrue(result.subprotocol().isEmpty());
            assertTrue(result.failureReason().orElseThrow().contains("403 Forbidden"), result.toString());
            Connectors.assertClosed(connection.channel());
        }
    }

    @Test
    void refusalBodyMayBeChunked() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                    + "4\r\nno s\r\n9\r\nuch path\n\r\n0\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).path("/missing").build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(result.success());
            assertEquals(404, result.statusCode());
            assertEquals("Not Found", result.reasonPhrase());
            assertEquals("no such path\n", result.body());
            Connectors.assertClosed(connection.channel());
        }
    }

    @Test
    void refusalBodyWithoutLengthIsReadUntilClose() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
                    + "Content-Type: text/plain; charset=ISO-8859-1\r\n\r\nversion 13 only \u00a7");
            // returning closes the socket, which ends the body
        })) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(result.success());
            assertEquals(426, result.statusCode());
            assertEquals("Upgrade Required", result.reasonPhrase());
            assertEquals("13", result.headers().get("sec-websocket-version"));
            assertEquals("version 13 only \u00a7", result.body());
            Connectors.assertClosed(connection.channel());
        }
    }

    @Test
    void refusalBodyIsCutAt64KiB() throws Exception {
        int length = 100_000;
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            byte[] body = new byte[length];
            Arrays.fill(body, (byte) 'x');
            ex.send("HTTP/1.1 403 Forbidden\r\nContent-Length: " + length + "\r\n\r\n");
            ex.send(body);
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(result.success());
            assertEquals(ClientHandshakeHandler.MAX_BODY_BYTES, result.body().length());
            Connectors.assertClosed(connection.channel());
        }
    }

    /** Each row: the 101 response's header lines after the status line (ACCEPT stands for the right value). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong accept key | Upgrade: websocket;Connection: Upgrade;Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo= | does not match the key",
        "accept key without padding | Upgrade: websocket;Connection: Upgrade;Sec-WebSocket-Accept: UNPADDED | does not match the key",
        "missing accept key | Upgrade: websocket;Connection: Upgrade | no Sec-WebSocket-Accept",
        "two accept keys | Upgrade: websocket;Connection: Upgrade;Sec-WebSocket-Accept: ACCEPT;Sec-WebSocket-Accept: ACCEPT | 2 Sec-WebSocket-Accept",
        "missing Upgrade | Connection: Upgrade;Sec-WebSocket-Accept: ACCEPT | no Upgrade header",
        "other Upgrade | Upgrade: h2c;Connection: Upgrade;Sec-WebSocket-Accept: ACCEPT | 'Upgrade: h2c'",
        "missing Connection | Upgrade: websocket;Sec-WebSocket-Accept: ACCEPT | no Connection header",
        "Connection without upgrade | Upgrade: websocket;Connection: keep-alive;Sec-WebSocket-Accept: ACCEPT | without the 'upgrade' token",
        "extension not offered | Upgrade: websocket;Connection: Upgrade;Sec-WebSocket-Accept: ACCEPT;Sec-WebSocket-Extensions: x-webkit-deflate-frame | extension 'x-webkit-deflate-frame', which was not offered",
        "subprotocol not offered | Upgrade: websocket;Connection: Upgrade;Sec-WebSocket-Accept: ACCEPT;Sec-WebSocket-Protocol: other | subprotocol 'other', which was not offered (offered: [chat])",
    })
    void invalid101IsARefusal(String name, String headerLines, String expectedReason) throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            String accept = AcceptKey.of(ex.key);
            String headers = headerLines.replace("UNPADDED", accept.replace("=", "")).replace("ACCEPT", accept)
                    .replace(";", "\r\n");
            ex.send("HTTP/1.1 101 Switching Protocols\r\n" + headers + "\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(ClientHandshakeRequest.builder("127.0.0.1")
                    .port(server.port()).subprotocols("chat").build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(result.success(), name);
            assertEquals(101, result.statusCode());
            String reason = result.failureReason().orElseThrow();
            assertTrue(reason.contains(expectedReason), reason);
            Connectors.assertClosed(connection.channel());
        }
    }

    /** Each row: the 101's Sec-WebSocket-Extensions answering the lean offer, and the reason of the refusal. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "another extension | x-webkit-deflate-frame | server selected extension 'x-webkit-deflate-frame', which was not offered",
        "unknown parameter | permessage-deflate; server_no_context_takeover; mode=fast | unknown parameter mode",
        "repeated parameter | permessage-deflate; server_no_context_takeover; server_no_context_takeover | appears more than once",
        "invalid window | permessage-deflate; server_no_context_takeover; server_max_window_bits=16 | server_max_window_bits=16 is not an integer from 8 to 15",
        "client window without value | permessage-deflate; server_no_context_takeover; client_max_window_bits | client_max_window_bits needs a value from 8 to 15",
        "invalid client window | permessage-deflate; server_no_context_takeover; client_max_window_bits=7 | client_max_window_bits=7 is not an integer from 8 to 15",
        "our request ignored | permessage-deflate | did not answer server_no_context_takeover, which the client offered",
        "accepted twice | permessage-deflate; server_no_context_takeover, permessage-deflate; server_no_context_takeover | more than once",
        "malformed | permessage-deflate; server_no_context_takeover; | malformed at column 48",
    })
    void invalidDeflateAnswerIsARefusal(String name, String answer, String expectedReason) throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching("Sec-WebSocket-Extensions: " + answer));
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(ClientHandshakeRequest.builder("127.0.0.1")
                    .port(server.port()).config(WebSocketConfig.builder().compression(CompressionMode.LEAN).build())
                    .build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(result.success(), name);
            String reason = result.failureReason().orElseThrow();
            assertTrue(reason.contains(expectedReason), reason);
            assertTrue(server.takeRequest().contains("\r\nSec-WebSocket-Extensions: " + ClientDeflateOffer.LEAN_OFFER
                    + "\r\n"), "the offer");
            Connectors.assertClosed(connection.channel());
        }
    }

    @Test
    void subprotocolChosenWhenNoneWasOfferedIsARefusal() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send(ex.switching("Sec-WebSocket-Protocol: chat"));
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(result.success());
            assertTrue(result.failureReason().orElseThrow().contains("(none was)"), result.toString());
            Connectors.assertClosed(connection.channel());
        }
    }

    // ---------------------------------------------------------------- refusals: WebSocketClient's null, exception and future

    /** A refused handshake: what the server sends (then closing if cut short), and what the client must report. */
    record Refusal(String name, String answer, boolean cutShort, int status, String reason, String body, String header,
                   String headerValue, String why) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("403 with a body",
                        "HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\nX-Why: not allowed\r\n\r\nnope!", false,
                        403, "Forbidden", "nope!", "x-WHY", "not allowed", "server answered 403 Forbidden instead of 101"),
                new Refusal("404 with a chunked body",
                        "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nno s\r\n9\r\nuch path\n\r\n0\r\n\r\n", false,
                        404, "Not Found", "no such path\n", "transfer-encoding", "chunked", "server answered 404 Not Found"),
                new Refusal("426 with the supported version",
                        "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nContent-Length: 16\r\n\r\nversion 13 only!", false,
                        426, "Upgrade Required", "version 13 only!", "sec-websocket-version", "13",
                        "server answered 426 Upgrade Required"),
                new Refusal("101 with a wrong accept key",
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", false,
                        101, "Switching Protocols", "", "sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                        "does not match the key sent"),
                // Netty's decoder keeps the last complete header line until the next one starts (it may be
                // folded), so only the lines before it are reported.
                new Refusal("server closes in the middle of the headers",
                        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nX-Second: 2\r\nX-Unfinish", true,
                        503, "Service Unavailable", "", "retry-after", "30",
                        "server answered 503 Service Unavailable but closed the connection before the end of the"
                                + " response headers"),
                new Refusal("server closes in the middle of the body",
                        "HTTP/1.1 403 Forbidden\r\nContent-Length: 100\r\n\r\nonly the first pa", true,
                        403, "Forbidden", "only the first pa", "content-length", "100",
                        "(the server closed the connection before the end of the body)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalFiresTheFailureListenerAndConnectReturnsNull(Refusal refusal) throws Exception {
        try (ScriptedServer server = refusingServer(refusal)) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            List<HandshakeResponse> failures = new ArrayList<>();
            AtomicInteger successes = new AtomicInteger();
            client.setOnHandshakeFailure((c, response) -> failures.add(response));
            client.setOnHandshakeSuccess((c, response) -> successes.incrementAndGet());

            assertNull(client.connect());
            assertEquals(1, failures.size());
            assertEquals(0, successes.get());
            assertResponse(refusal, failures.get(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalIsAnExceptionCarryingTheResponseForConnectOrThrow(Refusal refusal) throws Exception {
        try (ScriptedServer server = refusingServer(refusal)) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            List<HandshakeResponse> failures = new ArrayList<>();
            client.setOnHandshakeFailure((c, response) -> failures.add(response));

            WebSocketHandshakeRefusedException e =
                    assertThrows(WebSocketHandshakeRefusedException.class, client::connectOrThrow);
            assertResponse(refusal, e.response());
            assertEquals(refusal.status, e.statusCode());
            assertTrue(e.reason().contains(refusal.why), e.reason());
            assertEquals("server 127.0.0.1:" + server.port() + " refused the WebSocket upgrade: " + e.reason(),
                    e.getMessage());
            assertEquals(List.of(e.response()), failures, "the failure listener saw the same response");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalCompletesTheFutureOfConnectAsyncExceptionally(Refusal refusal) throws Exception {
        try (ScriptedServer server = refusingServer(refusal)) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            AtomicReference<Thread> listenerThread = new AtomicReference<>();
            client.setOnHandshakeFailure((c, response) -> listenerThread.set(Thread.currentThread()));
            CompletableFuture<Communicator> future = client.connectAsync();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            WebSocketHandshakeRefusedException refused = assertInstanceOf(WebSocketHandshakeRefusedException.class,
                    e.getCause());
            assertResponse(refusal, refused.response());
            assertTrue(listenerThread.get().getName().startsWith("wsnetty-listener-"), listenerThread.get().getName());
        }
    }

    private static ScriptedServer refusingServer(Refusal refusal) throws Exception {
        return ScriptedServer.start(ex -> {
            ex.send(refusal.answer);
            if (!refusal.cutShort) {
                ex.awaitClientClose(); // the client closes once it has the answer
            }
            // else returning closes the socket in the middle of the answer
        });
    }

    private static void assertResponse(Refusal refusal, HandshakeResponse response) {
        assertEquals(refusal.status, response.statusCode(), refusal.name);
        assertEquals(refusal.reason, response.reasonPhrase(), refusal.name);
        assertEquals(refusal.body, response.body(), refusal.name);
        assertEquals(refusal.headerValue, response.header(refusal.header), refusal.name);
        assertEquals(refusal.headerValue, response.headers().get(refusal.header.toUpperCase()), refusal.name);
    }

    static <T> T onEventLoop(Channel channel, Callable<T> task) throws Exception {
        return channel.eventLoop().submit(task).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
