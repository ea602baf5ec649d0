package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.HandshakeResponse;
import dev.wsnetty.WebSocketInterruptedException;
import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WebSocketClient}'s handshake outcomes over real loopback sockets against a server answering scripted
 * bytes: the request on the wire, the listeners, refusals (null, exception, future), and errors.
 */
class WebSocketClientHandshakeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    // ---------------------------------------------------------------- the request

    @Test
    void requestCarriesCustomHeadersExactlyAsGivenInOrder() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send(ClientHandshakeTest.upgradeResponse(ex.key).replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: chat\r\n\r\n"));
            ex.answerClose();
        })) {
            WebSocketClient client = WebSocketClient.of("ws://127.0.0.1:" + server.port() + "/chat?room=1&x=%20");
            client.customHeaders().put("X-Custom", "a  value ");
            client.customHeaders().put("authorization", "Bearer t0k3n");
            client.customHeaders().put("X-Custom-2", "");
            client.setSubprotocols("chat", "superchat");
            client.setOrigin("http://example.com");

            Communicator communicator = client.connect();
            assertNotNull(communicator);
            String head = server.takeRequest();
            String key = ClientHandshakeTest.keyOf(head);
            assertEquals("GET /chat?room=1&x=%20 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                    + "Origin: http://example.com\r\n"
                    + "X-Custom: a  value \r\n"
                    + "authorization: Bearer t0k3n\r\n"
                    + "X-Custom-2: \r\n"
                    + "\r\n", head);
            communicator.close();
            assertNotNull(communicator.awaitClose(WAIT));
        }
    }

    @Test
    void customHostHeaderReplacesTheGeneratedOne() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Exchange::awaitClientClose)) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.customHeaders().put("Host", "virtual.example");
            CompletableFuture<Communicator> attempt = client.connectAsync();
            String head = server.takeRequest();
            assertTrue(head.startsWith("GET / HTTP/1.1\r\nUpgrade: websocket\r\n"), head);
            assertTrue(head.endsWith("\r\nHost: virtual.example\r\n\r\n"), head);
            attempt.cancel(false);
        }
    }

    @Test
    void invalidCustomHeaderIsRefusedBeforeConnecting() {
        WebSocketClient client = new WebSocketClient("127.0.0.1", 9);
        client.customHeaders().put("Sec-WebSocket-Key", "chosen");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, client::connect);
        assertTrue(e.getMessage().contains("Sec-WebSocket-Key"), e.getMessage());
        client.customHeaders().clear();
        client.customHeaders().put("Bad Name", "v");
        e = assertThrows(IllegalArgumentException.class, client::connect);
        assertTrue(e.getMessage().contains("'Bad Name' is not a valid HTTP token"), e.getMessage());
        client.customHeaders().clear();
        client.customHeaders().put("X-Split", "a\r\nInjected: yes");
        e = assertThrows(IllegalArgumentException.class, client::connect);
        assertTrue(e.getMessage().contains("control or non-ASCII character"), e.getMessage());
    }

    // ---------------------------------------------------------------- success

    @Test
    void successListenerGetsThe101AndRunsOnTheCallingThreadBeforeConnectReturns() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send(ClientHandshakeTest.upgradeResponse(ex.key).replace("\r\n\r\n", "\r\nX-Server-Note: hi\r\n\r\n"));
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
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.send(ClientHandshakeTest.upgradeResponse(ex.key));
            ex.awaitClientClose();
            clientGone.countDown();
        })) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setOnHandshakeSuccess((c, response) -> {
                throw new IllegalStateException("listener refuses");
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, client::connect);
            assertEquals("listener refuses", e.getMessage());
            assertTrue(clientGone.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the connection was left open");
        }
    }

    // ---------------------------------------------------------------- refusals

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
                    () -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            WebSocketHandshakeRefusedException refused = assertInstanceOf(WebSocketHandshakeRefusedException.class,
                    e.getCause());
            assertResponse(refusal, refused.response());
            assertTrue(listenerThread.get().getName().startsWith("wsnetty-listener-"), listenerThread.get().getName());
        }
    }

    private static ScriptedServer refusingServer(Refusal refusal) throws Exception {
        return new ScriptedServer(ex -> {
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

    // ---------------------------------------------------------------- errors: no answer

    @Test
    void serverClosingWithoutAnAnswerIsAnErrorAndNoEvent() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ex -> { })) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            AtomicInteger events = new AtomicInteger();
            client.setOnHandshakeFailure((c, response) -> events.incrementAndGet());
            client.setOnHandshakeSuccess((c, response) -> events.incrementAndGet());
            WebSocketHandshakeException e = assertThrows(WebSocketHandshakeException.class, client::connect);
            assertEquals("server 127.0.0.1:" + server.port() + " closed the connection during the handshake",
                    e.getMessage());
            assertThrows(WebSocketHandshakeException.class, client::connectOrThrow);
            assertEquals(0, events.get());
        }
    }

    @Test
    void noAnswerWithinTheHandshakeTimeoutIsATimeoutException() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Exchange::awaitClientClose)) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setHandshakeTimeout(Duration.ofMillis(300));
            assertEquals(Duration.ofMillis(300), client.getConfig().handshakeTimeout());
            WebSocketHandshakeTimeoutException e =
                    assertThrows(WebSocketHandshakeTimeoutException.class, client::connect);
            assertEquals("no handshake response from 127.0.0.1:" + server.port() + " within 300 ms", e.getMessage());
        }
    }

    @Test
    void refusedConnectionNamesHostAndPort() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        WebSocketClient client = new WebSocketClient("127.0.0.1", port);
        WebSocketConnectException e = assertThrows(WebSocketConnectException.class, client::connect);
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertInstanceOf(ConnectException.class, e.getCause());
    }

    @Test
    void unknownHostNamesHostAndPort() {
        WebSocketClient client = WebSocketClient.of("wss://no-such-host.invalid/chat");
        WebSocketConnectException e = assertThrows(WebSocketConnectException.class, client::connect);
        assertTrue(e.getMessage().startsWith("cannot connect to no-such-host.invalid:443: "), e.getMessage());
        assertInstanceOf(UnknownHostException.class, e.getCause());
    }

    @Test
    void connectTimeoutNamesHostAndPort() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                assertTrue(ClientHandshakeTest.fillAcceptQueue(listener, fillers), "the accept queue did not fill up");
                WebSocketClient client = new WebSocketClient("127.0.0.1", listener.getLocalPort());
                client.setConnectTimeout(Duration.ofMillis(300));
                WebSocketConnectException e = assertThrows(WebSocketConnectException.class, client::connect);
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

    @Test
    void interruptedConnectAbandonsTheAttempt() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.awaitClientClose();
            clientGone.countDown();
        })) {
            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> interruptFlag = new AtomicReference<>();
            Thread connecting = new Thread(() -> {
                try {
                    client.connect();
                } catch (Throwable t) {
                    thrown.set(t);
                    interruptFlag.set(Thread.currentThread().isInterrupted());
                }
            });
            connecting.start();
            server.takeRequest(); // the request is out: the thread now waits for the answer
            connecting.interrupt();
            connecting.join(WAIT.toMillis());
            WebSocketInterruptedException e = assertInstanceOf(WebSocketInterruptedException.class, thrown.get());
            assertEquals("interrupted while connecting to ws://127.0.0.1:" + server.port() + "/", e.getMessage());
            assertTrue(interruptFlag.get(), "the interrupt status was not set again");
            assertTrue(clientGone.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the connection was left open");
        }
    }

    @Test
    void cancellingConnectAsyncAbandonsTheAttempt() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(ex -> {
            ex.awaitClientClose();
            clientGone.countDown();
        })) {
            CompletableFuture<Communicator> future = new WebSocketClient("127.0.0.1", server.port()).connectAsync();
            server.takeRequest();
            assertTrue(future.cancel(false));
            assertTrue(clientGone.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the connection was left open");
        }
    }
}
