package dev.wsnetty.examples.dropin;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
        Recorder recorder = new Recorder();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri("ws", DropInPipelineExample.WEBSOCKET_PATH), recorder)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        ws.sendText("hello", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("echo: hello", recorder.texts.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        ws.sendText("wörld", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("echo: wörld", recorder.texts.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("1000 ", recorder.closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void binaryIsRefusedWith1003() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri("ws", DropInPipelineExample.WEBSOCKET_PATH), recorder)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("1003 text only, please", recorder.closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    /** A WebSocket handshake for a path without a route gets 404 from our upgrade handler. */
    @Test
    void handshakeForAnotherPathGets404() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> http.newWebSocketBuilder()
                .buildAsync(uri("ws", "/elsewhere"), new Recorder()).get(WAIT_SECONDS, TimeUnit.SECONDS));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(404, refused.getResponse().statusCode());
    }

    /** Keeps text messages and the Close received as "code reason". */
    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
