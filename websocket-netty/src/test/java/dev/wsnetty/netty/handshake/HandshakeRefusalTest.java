package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.testing.EventRecorder;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Refused handshakes over a real socket: each gets a complete HTTP response naming the reason, then the
 * server ends the connection (the client reads to EOF) and closes it once the client has.
 */
class HandshakeRefusalTest {
    @RegisterExtension
    final EventRecorder<Object> events = new EventRecorder<>("endpoint event");
    private TestServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> malformedRequests() {
        String key15 = Base64.getEncoder().encodeToString(new byte[15]);
        String key17 = Base64.getEncoder().encodeToString(new byte[17]);
        return Stream.of(
                Arguments.of(UpgradeRequest.to("/").without("Sec-WebSocket-Key"), "missing Sec-WebSocket-Key"),
                Arguments.of(UpgradeRequest.to("/").header("Sec-WebSocket-Key", "abc"),
                        "Sec-WebSocket-Key must be base64 of 16 bytes, was \"abc\""),
                Arguments.of(UpgradeRequest.to("/").header("Sec-WebSocket-Key", key15),
                        "Sec-WebSocket-Key must be base64 of 16 bytes, was \"" + key15 + "\""),
                Arguments.of(UpgradeRequest.to("/").header("Sec-WebSocket-Key", key17),
                        "Sec-WebSocket-Key must be base64 of 16 bytes, was \"" + key17 + "\""),
                Arguments.of(UpgradeRequest.to("/").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ#="),
                        "Sec-WebSocket-Key must be base64 of 16 bytes, was \"dGhlIHNhbXBsZSBub25jZQ#=\""),
                Arguments.of(UpgradeRequest.to("/").without("Upgrade"), "missing Upgrade"),
                Arguments.of(UpgradeRequest.to("/").header("Upgrade", "h2c"), "Upgrade must be websocket, was \"h2c\""),
                Arguments.of(UpgradeRequest.to("/").without("Connection"), "missing Connection"),
                Arguments.of(UpgradeRequest.to("/").header("Connection", "keep-alive"),
                        "Connection must contain upgrade, was \"keep-alive\""),
                Arguments.of(UpgradeRequest.to("/").header("Connection", "upgraded"),
                        "Connection must contain upgrade, was \"upgraded\""),
                Arguments.of(UpgradeRequest.to("/").method("POST"), "method must be GET, was \"POST\""),
                Arguments.of(UpgradeRequest.to("/").method("get"), "method must be GET, was \"get\""),
                Arguments.of(UpgradeRequest.to("/").version("HTTP/1.0"), "HTTP/1.1 or later required, was HTTP/1.0"),
                Arguments.of(UpgradeRequest.to("/").without("Host"), "missing Host"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformedRequests")
    void answers400NamingTheFault(UpgradeRequest request, String fault) throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events)).build());
        assertRefusedAndClosed(request.toString(), Wire.refusal(400, "Bad Request", "Not a WebSocket request: " + fault));
    }

    @Test
    void answers426WithTheSupportedVersionForAnotherVersion() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events)).build());
        assertRefusedAndClosed(UpgradeRequest.to("/").header("Sec-WebSocket-Version", "8").toString(),
                Wire.refusal(426, "Upgrade Required", "Unsupported Sec-WebSocket-Version: \"8\" (supported: 13)",
                        "Sec-WebSocket-Version: 13"));
    }

    @Test
    void answers426WithTheSupportedVersionForAMissingVersion() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events)).build());
        assertRefusedAndClosed(UpgradeRequest.to("/").without("Sec-WebSocket-Version").toString(),
                Wire.refusal(426, "Upgrade Required", "Missing Sec-WebSocket-Version (supported: 13)",
                        "Sec-WebSocket-Version: 13"));
    }

    @Test
    void answers403WhenAcceptSaysNo() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events) {
            @Override
            public boolean accept(HandshakeRequest request, HttpHeaders headers) {
                headers.add("X-Not-Sent", "refusals carry no endpoint headers");
                return false;
            }
        }).build());
        assertRefusedAndClosed(UpgradeRequest.to("/").toString(),
                Wire.refusal(403, "Forbidden", "Request not accepted by Handler"));
    }

    @Test
    void answers403WhenTheOriginPolicyRefuses() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events) {
            @Override
            public OriginPolicy originPolicy() {
                return OriginPolicy.allowList("https://chat.example.com");
            }
        }).build());
        assertRefusedAndClosed(UpgradeRequest.to("/").header("Origin", "https://evil.example").toString(),
                Wire.refusal(403, "Forbidden",
                        "Request not accepted by Handler: origin \"https://evil.example\" is not allowed"));
    }

    @Test
    void answers404WithoutARoute() throws Exception {
        HandlerRouter<WebSocketEndpoint> router = new HandlerRouter<>();
        router.register("example.com", "/chat", new RecordingEndpoint(events));
        server = TestServer.start(ServerHandshakeConfig.builder(router).build());
        assertRefusedAndClosed(UpgradeRequest.to("/other").toString(),
                Wire.refusal(404, "Not Found", "No Handler registered for this request"));
    }

    @Test
    void answers500WhenAHookThrowsWithoutTellingTheClientWhy() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events) {
            @Override
            public boolean accept(HandshakeRequest request, HttpHeaders headers) {
                throw new IllegalStateException("database down");
            }
        }).build());
        assertRefusedAndClosed(UpgradeRequest.to("/").toString(), Wire.refusal(500, "Internal Server Error",
                "The server failed to handle the WebSocket handshake"));
    }

    @Test
    void answers500ForAResponseHeaderThatWouldSplitTheResponse() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(events, "X-Evil", "a\r\nSet-Cookie: x=1");
        server = TestServer.start(TestServer.everywhere(endpoint).build());
        assertRefusedAndClosed(UpgradeRequest.to("/").toString(), Wire.refusal(500, "Internal Server Error",
                "The server failed to handle the WebSocket handshake"));
        endpoint.accepted(); // accept said yes; its header failed after
    }

    @Test
    void answers500WhenTheSelectedSubprotocolWasNotOffered() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events) {
            @Override
            public String selectSubprotocol(List<String> offered) {
                return "mqtt";
            }
        }).build());
        assertRefusedAndClosed(UpgradeRequest.to("/").header("Sec-WebSocket-Protocol", "chat").toString(),
                Wire.refusal(500, "Internal Server Error", "The server failed to handle the WebSocket handshake"));
        events.next(RecordingEndpoint.Accepted.class); // accept said yes; the subprotocol failed after
    }

    @Test
    void answers414ForATooLongRequestLine() throws Exception {
        WebSocketConfig config = WebSocketConfig.builder().maxHandshakeLineLength(100).build();
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events)).config(config).build());
        assertRefusedAndClosed(UpgradeRequest.to("/" + "a".repeat(200)).toString(),
                Wire.refusal(414, "Request-URI Too Long", "Request line longer than 100 bytes"));
    }

    @Test
    void answers431ForTooLargeHeadersAndDrainsTheRest() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events)).build());
        // Default limit 8192; the client keeps sending well past it.
        UpgradeRequest request = UpgradeRequest.to("/");
        for (int i = 0; i < 100; i++) {
            request.header("X-Filler-" + i, "f".repeat(200));
        }
        assertRefusedAndClosed(request.toString(),
                Wire.refusal(431, "Request Header Fields Too Large", "Request headers larger than 8192 bytes"));
    }

    @Test
    void answers400ForARequestTheHttpDecoderCannotRead() throws Exception {
        server = TestServer.start(TestServer.everywhere(new RecordingEndpoint(events)).build());
        assertRefusedAndClosed("GET / FOO/1.1\r\nHost: example.com\r\n\r\n", Wire.refusal(400, "Bad Request",
                "Malformed HTTP request: \"invalid version format: FOO/1.1\""));
    }

    private void assertRefusedAndClosed(String request, String expectedResponse) throws Exception {
        Channel serverSide;
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(request);
            serverSide = server.nextAccepted();
            assertEquals(expectedResponse, client.readToEnd());
        }
        TestServer.assertClosedByServer(serverSide);
    }
}
