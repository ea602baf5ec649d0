package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.UpgradeRequest;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The observed routing table of the original (seed-behaviour §3.2), reproduced over a real socket. */
class HandshakeRoutingTest {
    private static TestServer server;

    /** Tells which endpoint answered through a response header. */
    private static WebSocketEndpoint named(String name) {
        return new WebSocketEndpoint() {
            @Override
            public boolean accept(HandshakeRequest request, HttpHeaders responseHeaders) {
                responseHeaders.add("X-Endpoint", name);
                return true;
            }

            @Override
            public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
                // Goes through the protocol handler: Close 1000, then TCP close once it is written.
                channel.close();
            }
        };
    }

    @BeforeAll
    static void start() {
        HandlerRouter<WebSocketEndpoint> router = HandlerRouterTest.seedTable(HandshakeRoutingTest::named);
        server = TestServer.start(ServerHandshakeConfig.builder(router).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "Host {0}, path {1} -> {2}")
    @MethodSource("dev.wsnetty.netty.handshake.HandlerRouterTest#observedRoutes")
    void routesLikeTheOriginal(String host, String path, String expected) throws Exception {
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to(path).header("Host", host).toString());
            String response = client.readToEnd();
            if (expected.equals("404")) {
                assertEquals(Wire.refusal(404, "Not Found", "No Handler registered for this request"), response);
            } else {
                assertEquals(Wire.then(Wire.switching(null, "X-Endpoint: " + expected), Wire.CLOSE_1000), response);
            }
        }
    }
}
