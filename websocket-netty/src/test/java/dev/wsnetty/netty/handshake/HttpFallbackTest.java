package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Plain HTTP on the WebSocket port: passed to the user's HTTP handler with fallback, 400 without. */
class HttpFallbackTest {
    private static final String PAGE = "<h1>chat</h1>";
    private static final String PAGE_RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n"
            + "Content-Length: " + PAGE.length() + "\r\n\r\n" + PAGE;

    @RegisterExtension
    final EventRecorder<Object> events = new EventRecorder<>("endpoint event");

    private TestServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    /** The user's HTTP side: an aggregator and a handler serving one page, keeping the connection alive. */
    private static void addPage(ChannelPipeline pipeline) {
        pipeline.addLast("aggregator", new HttpObjectAggregator(4096));
        pipeline.addLast("page", new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                ByteBuf body = Unpooled.copiedBuffer(PAGE, StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                response.headers().set("Content-Type", "text/html; charset=utf-8");
                response.headers().set("Content-Length", body.readableBytes());
                ctx.writeAndFlush(response);
            }
        });
    }

    /** A server with {@link #addPage} as its HTTP side. */
    private static TestServer startWithPage(ServerHandshakeConfig handshake) {
        return TestServer.builder(handshake).httpSide(HttpFallbackTest::addPage).start();
    }

    @Test
    void servesAPageAndThenUpgradesOnTheSameConnection() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(events);
        server = startWithPage(TestServer.everywhere(endpoint).httpFallback(true).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertEquals(PAGE_RESPONSE, client.readHead() + client.readText(PAGE.length()));
            client.send(Wire.concat(UpgradeRequest.to("/chat").toString(), Wire.MASKED_HI));
            assertEquals(Wire.switching(null), client.readHead());
            // The HTTP side left the pipeline: it must not see frames.
            endpoint.accepted();
            assertEquals(List.of(WebSocketPipeline.DECODER, WebSocketPipeline.ENCODER, WebSocketPipeline.PROTOCOL),
                    endpoint.opened().pipeline());
            endpoint.assertReceived("hi");
        }
    }

    @Test
    void passesAnUpgradeToAnotherProtocolToTheHttpSide() throws Exception {
        server = startWithPage(TestServer.everywhere(new RecordingEndpoint(events)).httpFallback(true).build());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
            assertEquals(PAGE_RESPONSE, client.readHead() + client.readText(PAGE.length()));
        }
    }

    @Test
    void stillRefusesABrokenWebSocketHandshake() throws Exception {
        server = startWithPage(TestServer.everywhere(new RecordingEndpoint(events)).httpFallback(true).build());
        Channel serverSide;
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/").without("Sec-WebSocket-Key").toString());
            serverSide = server.nextAccepted();
            assertEquals(Wire.refusal(400, "Bad Request", "Not a WebSocket request: missing Sec-WebSocket-Key"),
                    client.readToEnd());
        }
        TestServer.assertClosedByServer(serverSide);
    }

    @Test
    void answers400ToPlainHttpWithoutFallback() throws Exception {
        server = startWithPage(TestServer.everywhere(new RecordingEndpoint(events)).build());
        Channel serverSide;
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n");
            serverSide = server.nextAccepted();
            assertEquals(Wire.refusal(400, "Bad Request", "Not a WebSocket request: missing Upgrade"),
                    client.readToEnd());
        }
        TestServer.assertClosedByServer(serverSide);
    }
}
