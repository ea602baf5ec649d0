package dev.wsnetty.netty.client;

import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketInterruptedException;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.testing.Await;
import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handshakes that end in an error rather than an answer, over real loopback sockets: a server that closes, stays
 * silent, speaks no HTTP or sends too much; no connection at all (refused, timed out, unknown host), each error
 * naming host and port; and an application that interrupts or cancels its attempt. The connector reports them
 * through its future, {@link WebSocketClient} as exceptions.
 */
class ClientHandshakeErrorTest {
    private static final Duration WAIT = Await.DEADLINE;

    // ---------------------------------------------------------------- a server that answers no 101 nor refusal

    @Test
    void serverClosingMidHandshakeIsAnError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> ex.send("HTTP/1.1 101 Swi"))) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            WebSocketHandshakeException e = Connectors.handshakeError(connection, WebSocketHandshakeException.class);
            assertEquals("server 127.0.0.1:" + server.port() + " closed the connection during the handshake",
                    e.getMessage());
            Connectors.assertClosed(connection.channel());
        }
    }

    @Test
    void serverClosingWithoutAnAnswerIsAnErrorAndNoEvent() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> { })) {
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

    /** The connector fails the handshake, and {@link WebSocketClient} throws the timeout exception, naming both. */
    @Test
    void noAnswerWithinTheHandshakeTimeoutIsATimeoutError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ScriptedServer.Exchange::awaitClientClose)) {
            WebSocketConfig config = WebSocketConfig.builder().handshakeTimeout(Duration.ofMillis(200)).build();
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).config(config).build());
            WebSocketHandshakeException e = Connectors.handshakeError(connection, WebSocketHandshakeException.class);
            assertEquals("no handshake response from 127.0.0.1:" + server.port() + " within 200 ms", e.getMessage());
            Connectors.assertClosed(connection.channel());

            WebSocketClient client = new WebSocketClient("127.0.0.1", server.port());
            client.setHandshakeTimeout(Duration.ofMillis(300));
            assertEquals(Duration.ofMillis(300), client.getConfig().handshakeTimeout());
            WebSocketHandshakeTimeoutException timeout =
                    assertThrows(WebSocketHandshakeTimeoutException.class, client::connect);
            assertEquals("no handshake response from 127.0.0.1:" + server.port() + " within 300 ms",
                    timeout.getMessage());
        }
    }

    @Test
    void nonHttpAnswerIsAnError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send("SSH-2.0-OpenSSH_9.6\r\n\r\n");
            ex.awaitClientClose();
        })) {
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).build());
            WebSocketHandshakeException e = Connectors.handshakeError(connection, WebSocketHandshakeException.class);
            assertTrue(e.getMessage().startsWith("invalid handshake response from 127.0.0.1:" + server.port()),
                    e.getMessage());
            Connectors.assertClosed(connection.channel());
        }
    }

    @Test
    void tooLargeResponseHeadIsAnError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 101 Switching Protocols\r\nX-Big: " + "a".repeat(600) + "\r\n\r\n");
            ex.awaitClientClose();
        })) {
            WebSocketConfig config = WebSocketConfig.builder().maxHandshakeHeaderSize(256).build();
            ClientConnection connection = Connectors.plain().connect(
                    ClientHandshakeRequest.builder("127.0.0.1").port(server.port()).config(config).build());
            WebSocketHandshakeException e = Connectors.handshakeError(connection, WebSocketHandshakeException.class);
            assertTrue(e.getMessage().contains("256"), e.getMessage());
            Connectors.assertClosed(connection.channel());
        }
    }

    // ---------------------------------------------------------------- no connection

    /** Through the connector's future and {@link WebSocketClient#connect()} alike. */
    @Test
    void refusedConnectionNamesHostAndPort() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        ClientConnection connection = Connectors.plain().connect(
                ClientHandshakeRequest.builder("127.0.0.1").port(port).build());
        WebSocketConnectException e = Connectors.handshakeError(connection, WebSocketConnectException.class);
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": "), e.getMessage());
        assertInstanceOf(ConnectException.class, e.getCause());

        WebSocketClient client = new WebSocketClient("127.0.0.1", port);
        WebSocketConnectException thrown = assertThrows(WebSocketConnectException.class, client::connect);
        assertTrue(thrown.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": "), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("Connection refused"), thrown.getMessage());
        assertInstanceOf(ConnectException.class, thrown.getCause());
    }

    /** Through the connector's future and {@link WebSocketClient#connect()} alike, each with a 300 ms timeout. */
    @Test
    void connectTimeoutNamesHostAndPort() throws Exception {
        // A listener that never accepts: once its accept queue is full, further SYNs go unanswered.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                assertTrue(fillAcceptQueue(listener, fillers), "the accept queue did not fill up");
                int port = listener.getLocalPort();
                ClientConnection connection = Connectors.with(null, Duration.ofMillis(300)).connect(
                        ClientHandshakeRequest.builder("127.0.0.1").port(port).build());
                WebSocketConnectException e = Connectors.handshakeError(connection, WebSocketConnectException.class);
                assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port + ": connection timed out"),
                        e.getMessage());
                assertInstanceOf(ConnectTimeoutException.class, e.getCause());

                WebSocketClient client = new WebSocketClient("127.0.0.1", port);
                client.setConnectTimeout(Duration.ofMillis(300));
                WebSocketConnectException thrown = assertThrows(WebSocketConnectException.class, client::connect);
                assertTrue(thrown.getMessage().startsWith("cannot connect to 127.0.0.1:" + port
                        + ": connection timed out"), thrown.getMessage());
                assertInstanceOf(ConnectTimeoutException.class, thrown.getCause());
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

    /** Through the connector (ws, port 80) and {@link WebSocketClient} (wss, port 443). */
    @Test
    void unknownHostNamesHostAndPort() {
        ClientConnection connection =
                Connectors.plain().connect(ClientHandshakeRequest.builder("no-such-host.invalid").build());
        WebSocketConnectException e = Connectors.handshakeError(connection, WebSocketConnectException.class);
        assertTrue(e.getMessage().startsWith("cannot connect to no-such-host.invalid:80: "), e.getMessage());
        assertInstanceOf(UnknownHostException.class, e.getCause());

        WebSocketClient client = WebSocketClient.of("wss://no-such-host.invalid/chat");
        WebSocketConnectException thrown = assertThrows(WebSocketConnectException.class, client::connect);
        assertTrue(thrown.getMessage().startsWith("cannot connect to no-such-host.invalid:443: "), thrown.getMessage());
        assertInstanceOf(UnknownHostException.class, thrown.getCause());
    }

    // ---------------------------------------------------------------- the application gives up

    @Test
    void interruptedConnectAbandonsTheAttempt() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start(ex -> {
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
            assertTrue(clientGone.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the connection was left open");
        }
    }

    @Test
    void cancellingConnectAsyncAbandonsTheAttempt() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start(ex -> {
            ex.awaitClientClose();
            clientGone.countDown();
        })) {
            CompletableFuture<Communicator> future = new WebSocketClient("127.0.0.1", server.port()).connectAsync();
            server.takeRequest();
            assertTrue(future.cancel(false));
            assertTrue(clientGone.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the connection was left open");
        }
    }
}
