package dev.wsnetty.netty.client;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.HandshakeResponse;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.netty.testing.PythonWebsockets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WebSocketClient} against a non-Java server: python-websockets (Debian's {@code python3-websockets},
 * installed by {@code .ci/run}), which fails connections whose client frames are not masked. The server is
 * {@code peers/python_websockets_echo.py} from the test resources, run with the system Python; see that
 * script for its commands. Skipped, with the reason printed, when the package is not installed.
 */
class ClientAgainstPythonWebsocketsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PYTHON = PythonWebsockets.PYTHON;

    private static Process server;
    private static int port;
    private final List<Communicator> opened = new ArrayList<>();

    @BeforeAll
    static void startPythonServer() throws Exception {
        String missing = PythonWebsockets.whyUnavailable();
        if (missing != null) {
            System.out.println("SKIPPED ClientAgainstPythonWebsocketsTest: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
        Path script = Path.of(ClientAgainstPythonWebsocketsTest.class.getResource("/peers/python_websockets_echo.py")
                .toURI());
        server = new ProcessBuilder(PYTHON, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(first, "the python server exited before listening");
        String[] words = first.split(" "); // PORT <port> websockets <version>
        assertEquals("PORT", words[0], first);
        port = Integer.parseInt(words[1]);
        System.out.println("Peer: python-websockets " + words[3] + " (" + PYTHON + " " + pythonVersion() + ")");
    }

    private static String pythonVersion() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        return version;
    }

    @AfterAll
    static void stopPythonServer() throws Exception {
        if (server != null) {
            server.getOutputStream().close(); // the script exits at the end of its stdin
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @AfterEach
    void closeConnections() {
        for (Communicator c : opened) {
            c.close();
            assertNotNull(c.awaitClose(WAIT), "connection did not close");
        }
    }

    private Communicator connect(WebSocketClient client) throws IOException {
        Communicator c = client.connectOrThrow();
        opened.add(c);
        return c;
    }

    private Communicator connect() throws IOException {
        return connect(WebSocketClient.of("ws://127.0.0.1:" + port + "/echo"));
    }

    @Test
    void textAndBinaryMessagesAreEchoed() throws Exception {
        Communicator c = connect();
        byte[] big = new byte[300_000];
        new Random(4).nextBytes(big);
        c.writeStringMessage("hello python \u00e9\u263a");
        c.writeBinaryMessage(big);
        assertEquals("hello python \u00e9\u263a", c.waitForStringMessage(WAIT).data());
        assertArrayEquals(big, c.waitForBinaryMessage(WAIT).data());
    }

    @Test
    void requestHeadersArriveExactlyAndTheSubprotocolIsNegotiated() throws Exception {
        WebSocketClient client = WebSocketClient.of("ws://127.0.0.1:" + port + "/echo?x=1");
        client.customHeaders().put("X-Custom", "a  value");
        client.customHeaders().put("x-lower", "2");
        client.setOrigin("http://example.com");
        client.setSubprotocols("other", "chat");
        AtomicReference<HandshakeResponse> handshake = new AtomicReference<>();
        client.setOnHandshakeSuccess((c, response) -> handshake.set(response));
        Communicator c = connect(client);
        assertEquals("chat", handshake.get().header("sec-websocket-protocol"));

        c.writeStringMessage("headers");
        String headers = c.waitForStringMessage(WAIT).data();
        assertTrue(headers.contains("[\"Origin\", \"http://example.com\"], [\"X-Custom\", \"a  value\"], "
                + "[\"x-lower\", \"2\"]"), headers);
        assertTrue(headers.contains("[\"Sec-WebSocket-Protocol\", \"other, chat\"]"), headers);
        c.writeStringMessage("subprotocol");
        assertEquals("chat", c.waitForStringMessage(WAIT).data());
    }

    @Test
    void fragmentedMessagesGoBothWays() throws Exception {
        Communicator c = connect();
        try (MessageOutputStream out = c.writeMessage(MessageType.BINARY, 1000)) {
            out.write(new byte[10_500]);
        }
        assertEquals(10_500, c.waitForBinaryMessage(WAIT).data().length);
        c.writeStringMessage("fragments");
        assertEquals("fragmented", c.waitForStringMessage(WAIT).data());
    }

    @Test
    void pingsAreAnsweredBothWays() throws Exception {
        Communicator c = connect();
        c.ping("from java");
        assertEquals("from java", c.waitForPongMessage(WAIT).asString());
        c.writeStringMessage("ping:from python");
        assertEquals("pong:from python", c.waitForStringMessage(WAIT).data());
    }

    @Test
    void clientCloseIsAnsweredWithCodeAndReason() throws Exception {
        Communicator c = connect();
        c.close(4000, "client bye");
        assertEquals(new CloseStatus(4000, "client bye"), c.awaitClose(WAIT));
    }

    @Test
    void serverCloseIsReportedWithCodeAndReason() throws Exception {
        Communicator c = connect();
        c.writeStringMessage("close:4003:python bye");
        assertEquals(new CloseStatus(4003, "python bye"), c.awaitClose(WAIT));
    }

    @Test
    void refusalFromPythonIsReportedWithStatusHeadersAndBody() throws Exception {
        WebSocketClient client = WebSocketClient.of("ws://127.0.0.1:" + port + "/forbidden");
        AtomicReference<HandshakeResponse> failure = new AtomicReference<>();
        client.setOnHandshakeFailure((c, response) -> failure.set(response));
        assertNull(client.connect());
        assertEquals(403, failure.get().statusCode());
        assertEquals("Forbidden", failure.get().reasonPhrase());
        assertEquals("test", failure.get().header("x-reason"));
        assertEquals("forbidden by python\n", failure.get().body());
    }
}
