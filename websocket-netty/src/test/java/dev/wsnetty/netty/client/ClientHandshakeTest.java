package dev.wsnetty.netty.client;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client handshake over real loopback sockets against a server that answers scripted bytes. */
class ClientHandshakeTest {
    private static final long WAIT_SECONDS = 15;
    private static EventLoopGroup group;
    private static ClientConnector connector;

    @BeforeAll
    static void startEventLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        connector = new ClientConnector(group, NioSocketChannel.class);
    }

    @AfterAll
    static void stopEventLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- the request ----

    @Test
    void requestIsExactlyTheUpgradeRequest() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Exchange::awaitClientClose)) {
            ClientHandshakeRequest request = ClientHandshakeRequest.builder("127.0.0.1").port(server.port())
                    .path("/chat?room=1&x=%20").subprotocols("chat", "superchat").origin("http://example.com")
                    .header("X-Custom", "a value").header("x-second", "2").build();
            ClientConnection connection = connector.connect(request);
            String head = server.takeRequest();
            String key = keyOf(head);
            assertEquals("GET /chat?room=1&x=%20 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                    + "Origin: http://example.com\r\n"
                    + "X-Custom: a value\r\n"
                    + "x-second: 2\r\n"
                    + "\r\n", head);
            assertEquals(16, Base64.getDecoder().decode(key).length);
            connection.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void minimalRequestHasNoProtocolNoOriginAndDefaultPath() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Exchange::awaitClientClose)) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            String head = server.takeRequest();
            assertTrue(head.startsWith("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"), head);
            assertFalse(head.contains("Sec-WebSocket-Protocol"), head);
            assertFalse(head.contains("Origin"), head);
            connection.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void keyIsFreshForEveryConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Exchange::awaitClientClose)) {
            ClientHandshakeRequest request = ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build();
            ClientConnection first = connector.connect(request);
            String key1 = keyOf(server.takeRequest());
            ClientConnection second = connector.connect(request);
            String key2 = keyOf(server.takeRequest());
            assertEquals(16, Base64.getDecoder().decode(key1).length);
            assertEquals(16, Base64.getDecoder().decode(key2).length);
            assertNotEquals(key1, key2);
            first.channel().close().syncUninterruptibly();
            second.channel().close().syncUninterruptibly();
        }
    }

    // ---- success ----

    @Test
    void validUpgradeSucceedsWithMixedCaseUpgradeAndConnectionList() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: WebSocket\r\n"
                    + "Connection: keep-alive, Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + AcceptKey.of(ex.key) + "\r\n"
                    + "Sec-WebSocket-Protocol: superchat\r\n"
                    + "X-Server: scripted\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(ClientHandshakeRequest.builder("127.0.0.1")
                    .port(server.port()).subprotocols("chat", "superchat").build());
            ClientHandshakeResult result = connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS);

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
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send(upgradeResponse(ex.key));
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            // Dependents registered before completion run inside complete(), i.e. on the event loop.
            CompletableFuture<List<String>> namesAtCompletion = connection.handshake()
                    .thenApply(r -> connection.channel().pipeline().names());
            List<String> names = namesAtCompletion.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(names.contains(WebSocketPipeline.HTTP_CODEC), names.toString());
            assertFalse(names.contains(WebSocketPipeline.HANDSHAKE), names.toString());
            assertTrue(names.contains(WebSocketPipeline.PROTOCOL), names.toString());
            connection.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void interimResponsesBeforeThe101AreSkipped() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" + upgradeResponse(ex.key));
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(result.success(), result.toString());
            assertNull(result.headers().get("Link"));
            connection.channel().close().syncUninterruptibly();
        }
    }

    @Test
    void framesSentWithThe101InOneWriteReachTheHandlerAfterTheProtocolHandler() throws Exception {
        byte[] frames = {(byte) 0x81, 0x05, 'h', 'e', 'l', 'l', 'o', (byte) 0x82, 0x02, 0x01, 0x02};
        try (ScriptedServer server = new ScriptedServer(ex -> {
            byte[] head = upgradeResponse(ex.key).getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = Arrays.copyOf(head, head.length + frames.length);
            System.arraycopy(frames, 0, all, head.length, frames.length);
            ex.send(all);
            ex.awaitClientClose();
        })) {
            Capture capture = new Capture();
            Consumer<ChannelPipeline> onOpen = p -> p.addAfter(WebSocketPipeline.PROTOCOL, "capture", capture);
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build(), onOpen);
            capture.handshake = connection.handshake();
            assertTrue(connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS).success());

            capture.awaitBytes(frames.length);
            capture.assertReceived(frames);
            assertTrue(capture.handshakeDoneAtFirstRead, "frames must arrive after the handshake future completed");
            connection.channel().close().syncUninterruptibly();
        }
    }

    // ---- refusals ----

    @Test
    void refusalCarriesStatusReasonHeadersAndBody() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\nX-Why: not allowed\r\n\r\nnope!");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS);
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
            assertClosed(connection.channel());
        }
    }

    @Test
    void refusalBodyMayBeChunked() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                    + "4\r\nno s\r\n9\r\nuch path\n\r\n0\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).path("/missing").build());
            ClientHandshakeResult result = connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(result.success());
            assertEquals(404, result.statusCode());
            assertEquals("Not Found", result.reasonPhrase());
            assertEquals("no such path\n", result.body());
            assertClosed(connection.channel());
        }
    }

    @Test
    void refusalBodyWithoutLengthIsReadUntilClose() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
                    + "Content-Type: text/plain; charset=ISO-8859-1\r\n\r\nversion 13 only \u00a7");
            // returning closes the socket, which ends the body
        })) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(result.success());
            assertEquals(426, result.statusCode());
            assertEquals("Upgrade Required", result.reasonPhrase());
            assertEquals("13", result.headers().get("sec-websocket-version"));
            assertEquals("version 13 only \u00a7", result.body());
            assertClosed(connection.channel());
        }
    }

    @Test
    void refusalBodyIsCutAt64KiB() throws Exception {
        int length = 100_000;
        try (ScriptedServer server = new ScriptedServer(ex -> {
            byte[] body = new byte[length];
            Arrays.fill(body, (byte) 'x');
            ex.send("HTTP/1.1 403 Forbidden\r\nContent-Length: " + length + "\r\n\r\n");
            ex.send(body);
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(result.success());
            assertEquals(ClientHandshakeHandler.MAX_BODY_BYTES, result.body().length());
            assertClosed(connection.channel());
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
        "extension not offered | Upgrade: websocket;Connection: Upgrade;Sec-WebSocket-Accept: ACCEPT;Sec-WebSocket-Extensions: permessage-deflate | extension 'permessage-deflate'",
        "subprotocol not offered | Upgrade: websocket;Connection: Upgrade;Sec-WebSocket-Accept: ACCEPT;Sec-WebSocket-Protocol: other | subprotocol 'other', which was not offered (offered: [chat])",
    })
    void invalid101IsARefusal(String name, String headerLines, String expectedReason) throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            String accept = AcceptKey.of(ex.key);
            String headers = headerLines.replace("UNPADDED", accept.replace("=", "")).replace("ACCEPT", accept)
                    .replace(";", "\r\n");
            ex.send("HTTP/1.1 101 Switching Protocols\r\n" + headers + "\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(ClientHandshakeRequest.builder("127.0.0.1")
                    .port(server.port()).subprotocols("chat").build());
            ClientHandshakeResult result = connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(result.success(), name);
            assertEquals(101, result.statusCode());
            String reason = result.failureReason().orElseThrow();
            assertTrue(reason.contains(expectedReason), reason);
            assertClosed(connection.channel());
        }
    }

    @Test
    void subprotocolChosenWhenNoneWasOfferedIsARefusal() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send(upgradeResponse(ex.key).replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: chat\r\n\r\n"));
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            ClientHandshakeResult result = connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(result.success());
            assertTrue(result.failureReason().orElseThrow().contains("(none was)"), result.toString());
            assertClosed(connection.channel());
        }
    }

    // ---- errors ----

    @Test
    void serverClosingMidHandshakeIsAnError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> ex.send("HTTP/1.1 101 Swi"))) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            WebSocketHandshakeException e = handshakeError(connection, WebSocketHandshakeException.class);
            assertEquals("server 127.0.0.1:" + server.port() + " closed the connection during the handshake",
                    e.getMessage());
            assertClosed(connection.channel());
        }
    }

    @Test
    void noAnswerWithinTheHandshakeTimeoutIsAnError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Exchange::awaitClientClose)) {
            WebSocketConfig config = WebSocketConfig.builder().handshakeTimeout(Duration.ofMillis(200)).build();
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).config(config).build());
            WebSocketHandshakeException e = handshakeError(connection, WebSocketHandshakeException.class);
            assertEquals("no handshake response from 127.0.0.1:" + server.port() + " within 200 ms", e.getMessage());
            assertClosed(connection.channel());
        }
    }

    @Test
    void nonHttpAnswerIsAnError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send("SSH-2.0-OpenSSH_9.6\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            WebSocketHandshakeException e = handshakeError(connection, WebSocketHandshakeException.class);
            assertTrue(e.getMessage().startsWith("invalid handshake response from 127.0.0.1:" + server.port()),
                    e.getMessage());
            assertClosed(connection.channel());
        }
    }

    @Test
    void tooLargeResponseHeadIsAnError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send("HTTP/1.1 101 Switching Protocols\r\nX-Big: " + "a".repeat(600) + "\r\n\r\n");
            ex.awaitClientClose();
        })) {
            WebSocketConfig config = WebSocketConfig.builder().maxHandshakeHeaderSize(256).build();
            ClientConnection connection = connector.connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).config(config).build());
            WebSocketHandshakeException e = handshakeError(connection, WebSocketHandshakeException.class);
            assertTrue(e.getMessage().contains("256"), e.getMessage());
            assertClosed(connection.channel());
        }
    }

    @Test
    void refusedConnectionNamesHostAndPort() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        ClientConnection connection = connector.connect(ClientHandshakeRequest.builder("127.0.0.1").port(port).build());
        WebSocketConnectException e = handshakeError(connection, WebSocketConnectException.class);
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": "), e.getMessage());
        assertInstanceOf(ConnectException.class, e.getCause());
    }

    @Test
    void connectTimeoutNamesHostAndPort() throws Exception {
        // A listener that never accepts: once its accept queue is full, further SYNs go unanswered.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                assertTrue(fillAcceptQueue(listener, fillers), "the accept queue did not fill up");
                ClientConnector impatient = new ClientConnector(group, NioSocketChannel.class, null,
                        Duration.ofMillis(300));
                ClientConnection connection = impatient.connect(
                        ClientHandshakeRequest.builder("127.0.0.1").port(listener.getLocalPort()).build());
                WebSocketConnectException e = handshakeError(connection, WebSocketConnectException.class);
                assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + listener.getLocalPort()
                        + ": connection timed out"), e.getMessage());
                assertInstanceOf(ConnectTimeoutException.class, e.getCause());
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    /** Connects to {@code listener} until a connect times out; true when that happened. */
    static boolean fillAcceptQueue(ServerSocket listener, List<Socket> fillers) throws Exception {
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(listener.getLocalSocketAddress(), 300);
                fillers.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return true;
            }
        }
        return false;
    }

    @Test
    void unknownHostNamesHostAndPort() throws Exception {
        ClientConnection connection = connector.connect(ClientHandshakeRequest.builder("no-such-host.invalid").build());
        WebSocketConnectException e = handshakeError(connection, WebSocketConnectException.class);
        assertTrue(e.getMessage().startsWith("cannot connect to no-such-host.invalid:80: "), e.getMessage());
        assertInstanceOf(UnknownHostException.class, e.getCause());
    }

    // ---- helpers ----

    static String upgradeResponse(String key) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.of(key) + "\r\n\r\n";
    }

    static String keyOf(String requestHead) {
        String marker = "\r\nSec-WebSocket-Key: ";
        int start = requestHead.indexOf(marker);
        assertTrue(start >= 0, requestHead);
        start += marker.length();
        return requestHead.substring(start, requestHead.indexOf("\r\n", start));
    }

    static <T extends Throwable> T handshakeError(ClientConnection connection, Class<T> type) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause());
    }

    static void assertClosed(Channel channel) {
        assertTrue(channel.closeFuture().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS), "channel not closed");
    }

    static <T> T onEventLoop(Channel channel, Callable<T> task) throws Exception {
        return channel.eventLoop().submit(task).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Collects what comes out of the frame handlers. The frame decoder may still be a pass-through stub
     * (raw bytes arrive) or the real decoder (frames arrive); both are checked against the same wire bytes.
     */
    static final class Capture extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        private final List<String> frames = new CopyOnWriteArrayList<>();
        private final AtomicInteger bytesSeen = new AtomicInteger();
        volatile CompletableFuture<ClientHandshakeResult> handshake;
        volatile boolean handshakeDoneAtFirstRead;
        private boolean first = true;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (first) {
                    first = false;
                    handshakeDoneAtFirstRead = handshake != null && handshake.isDone();
                }
                if (msg instanceof WebSocketFrame) {
                    WebSocketFrame frame = (WebSocketFrame) msg;
                    frames.add(frame.opcode() + ":" + ByteBufUtil.hexDump(frame.content()));
                    bytesSeen.addAndGet(2 + frame.content().readableBytes());
                } else if (msg instanceof ByteBuf) {
                    ByteBuf buf = (ByteBuf) msg;
                    synchronized (raw) {
                        raw.writeBytes(ByteBufUtil.getBytes(buf));
                    }
                    bytesSeen.addAndGet(buf.readableBytes());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        void awaitBytes(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (bytesSeen.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(n, bytesSeen.get(), "bytes after the 101 did not arrive");
        }

        void assertReceived(byte[] wire) {
            if (frames.isEmpty()) {
                synchronized (raw) {
                    assertArrayEquals(wire, raw.toByteArray());
                }
            } else {
                assertEquals(List.of(WebSocketProtocol.OPCODE_TEXT + ":68656c6c6f", WebSocketProtocol.OPCODE_BINARY + ":0102"), frames);
            }
        }
    }
}
