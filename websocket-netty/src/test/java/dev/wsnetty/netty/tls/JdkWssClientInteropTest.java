package dev.wsnetty.netty.tls;

import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.JdkClientPeer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static dev.wsnetty.testing.JdkClientPeer.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The JDK's {@link java.net.http.WebSocket} client over wss against our server with each provider: it checks our
 * self-signed certificate (trusted through its {@link SSLContext}) and the host name, then echoes text, binary
 * and a message it sends in two fragments, and closes. It also loads a page over https from the port that serves
 * wss, as a browser does with the examples' chat page.
 */
class JdkWssClientInteropTest {
    private static CertifiedKey localhost;
    private static HttpClient http;

    @BeforeAll
    static void client() throws Exception {
        localhost = SelfSignedCertificates.localhost();
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("localhost", localhost.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).build();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void jdkClientEchoesOverWss(TlsProvider provider) throws Exception {
        TlsConfig settings = TlsConfig.builder().provider(provider).build();
        try (WebSocketServerFixture server = WebSocketServerFixture.tlsEcho(
                TlsServerConfig.of(localhost.serverContext(settings)));
             JdkClientPeer peer = JdkClientPeer.connect(http,
                     URI.create("wss://localhost:" + server.port() + "/jdk"))) {
            SslHandler serverTls = server.nextConnection().tls();
            assertNotNull(serverTls, "the server saw no upgraded connection");
            assertEquals("TLSv1.3", serverTls.engine().getSession().getProtocol());

            WebSocket ws = peer.webSocket();
            await(ws.sendText("hello from java.net.http", true));
            assertEquals("hello from java.net.http", peer.nextMessage().text());
            byte[] bytes = {1, 2, 3, (byte) 0xFE};
            await(ws.sendBinary(ByteBuffer.wrap(bytes), true));
            assertArrayEquals(bytes, peer.nextMessage().binary());
            String half = "x".repeat(WebSocketServerFixture.FRAGMENT_ABOVE);
            await(ws.sendText(half, false));
            await(ws.sendText(half, true));
            assertEquals(half + half, peer.nextMessage().text()); // echoed back in fragments, joined by the peer

            await(ws.sendClose(1000, "bye"));
            assertEquals(1000, peer.awaitClose().code());
        }
    }

    @Test
    void pageOverHttpsAndWebSocketOverWssShareThePort() throws Exception {
        // What a browser does with the examples' chat page: GET it over https, then open wss on the same port.
        WebSocketServer server = new WebSocketServer("localhost", 0, localhost.serverContext());
        server.setHttpHandler(PageHandler::new);
        server.registerHandler("*", "*", new WebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator communicator) {
                communicator.writeStringMessage("ws over the page's port");
            }
        }, true, true);
        server.bind();
        try {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("the chat page", page.body());
            try (JdkClientPeer peer = JdkClientPeer.connect(http,
                    URI.create("wss://localhost:" + server.port() + "/chat"))) {
                assertEquals("ws over the page's port", peer.nextMessage().text());
            }
        } finally {
            server.stop();
        }
    }

    /** Serves one page to any HTTP request. */
    private static final class PageHandler extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof LastHttpContent) { // the request is complete
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("the chat page", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                ctx.writeAndFlush(response);
            }
        }
    }
}
