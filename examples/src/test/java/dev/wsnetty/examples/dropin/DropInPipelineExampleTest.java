package dev.wsnetty.examples.dropin;

import dev.wsnetty.testing.JdkClientPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.testing.JdkClientPeer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The drop-in example on one port: the application's HTTP handler serves the page (also to a client
 * that offers an h2c upgrade, which is not a WebSocket handshake) and its 404s, while {@code /ws} speaks
 * WebSocket through our handlers to the application's WebSocket handler.
 */
class DropInPipelineExampleTest {
    private static final long WAIT_SECONDS = 10;
    private static DropInPipelineExample.RunningServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        server = DropInPipelineExample.start(0);
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        // The client's default version is HTTP/2, so it also offers "Upgrade: h2c", which must not be
        // taken for a WebSocket handshake.
        return http.sendAsync(HttpRequest.newBuilder(uri("http", path)).build(), HttpResponse.BodyHandlers.ofString())
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void pageIsServedOverHttp() throws Exception {
        HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode());
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(DropInPipelineExample.PAGE, response.body());
    }

    @Test
    void otherPathsGet404FromTheApplication() throws Exception {
        HttpResponse<String> response = get("/missing");
        assertEquals(404, response.statusCode());
        assertEquals("Not found\n", response.body());
    }

    /** A plain GET of /ws is not a handshake either: the application's handler answers it. */
    @Test
    void plainGetOfTheWebSocketPathGoesToTheApplication() throws Exception {
        assertEquals(404, get(DropInPipelineExample.WEBSOCKET_PATH).statusCode());
    }

    @Test
    void webSocketOnTheSamePortEchoesText() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, uri("ws", DropInPipelineExample.WEBSOCKET_PATH))) {
            await(peer.webSocket().sendText("hello", true));
            assertEquals("echo: hello", peer.nextMessage().text());
            await(peer.webSocket().sendText("wörld", true));
            assertEquals("echo: wörld", peer.nextMessage().text());
            await(peer.webSocket().sendClose(WebSocket.NORMAL_CLOSURE, "done"));
            assertEquals(new JdkClientPeer.Close(1000, ""), peer.awaitClose());
        }
    }

    @Test
    void binaryIsRefusedWith1003() throws Exception {
        try (JdkClientPeer peer = JdkClientPeer.connect(http, uri("ws", DropInPipelineExample.WEBSOCKET_PATH))) {
            await(peer.webSocket().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true));
            assertEquals(new JdkClientPeer.Close(1003, "text only, please"), peer.awaitClose());
        }
    }

    /** A WebSocket handshake for a path without a route gets 404 from our upgrade handler. */
    @Test
    void handshakeForAnotherPathGets404() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> JdkClientPeer.connect(http, uri("ws", "/elsewhere")));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(404, refused.getResponse().statusCode());
    }
}
