package dev.wsnetty.examples;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.client.WebSocketHandshakeRefusedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the README says of both servers' paths, over real sockets: {@code /} (the console client's) and {@code /ws}
 * (the chat page's) take WebSockets, {@code /} serves the page to a GET, and any other path gets 404, for a GET and
 * for an upgrade alike.
 */
class ExampleRoutingTest {
    @ParameterizedTest
    @ValueSource(strings = {"broadcast-server", "chat-server"})
    void anUpgradeToAnUnknownPathGets404(String example) throws Exception {
        try (RunningExample server = start(example)) {
            WebSocketClient client = new WebSocketClient(URI.create(server.url("/nothere")));
            WebSocketHandshakeRefusedException refused =
                    assertThrows(WebSocketHandshakeRefusedException.class, client::connectOrThrow);
            assertEquals(404, refused.statusCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"broadcast-server", "chat-server"})
    void aGetOfAnUnknownPathGets404AndOfTheRootThePage(String example) throws Exception {
        try (RunningExample server = start(example)) {
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(404, get(http, server, "/nothere").statusCode());
            assertEquals(404, get(http, server, "/ws").statusCode(), "/ws is a WebSocket endpoint, no page");
            HttpResponse<String> page = get(http, server, "/");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"broadcast-server", "chat-server"})
    void theConsoleClientsAndThePagesPathsUpgrade(String example) throws Exception {
        try (RunningExample server = start(example)) {
            for (String path : ChatPageServer.WEBSOCKET_PATHS) {
                Communicator connection = new WebSocketClient(URI.create(server.url(path))).connectOrThrow();
                connection.close();
                assertNotNull(connection.awaitClose(Duration.ofSeconds(10)), path + " did not close");
            }
        }
    }

    private static RunningExample start(String example) throws Exception {
        return example.equals("chat-server") ? RunningExample.chatServer() : RunningExample.broadcastServer();
    }

    private static HttpResponse<String> get(HttpClient http, RunningExample server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
