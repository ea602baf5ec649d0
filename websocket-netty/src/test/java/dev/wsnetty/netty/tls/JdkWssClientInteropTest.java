package dev.wsnetty.netty.tls;

import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.netty.server.WebSocketServer;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
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

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
        try (WebSocketServerFixture server = WebSocketServerFixture.tlsEcho(TlsServerConfig.of(localhost.serverContext(settings)))) {
            Recorder recorder = new Recorder();
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + server.port() + "/jdk"), recorder).get(10, TimeUnit.SECONDS);
            SslHandler serverTls = server.nextConnection().tls();
            assertNotNull(serverTls, "the server saw no upgraded connection");
            assertEquals("TLSv1.3", serverTls.engine().getSession().getProtocol());

            ws.sendText("hello from java.net.http", true).get(10, TimeUnit.SECONDS);
            assertEquals("hello from java.net.http", recorder.next());
            byte[] bytes = {1, 2, 3, (byte) 0xFE};
            ws.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
            assertArrayEquals(bytes, (byte[]) recorder.next());
            String half = "x".repeat(WebSocketServerFixture.FRAGMENT_ABOVE);
            ws.sendText(half, false).get(10, TimeUnit.SECONDS);
            ws.sendText(half, true).get(10, TimeUnit.SECONDS);
            assertEquals(half + half, recorder.next()); // echoed back in fragments, joined by the recorder

            ws.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
            assertEquals(1000, recorder.closed.get(10, TimeUnit.SECONDS));
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
            Recorder recorder = new Recorder();
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + server.port() + "/chat"), recorder).get(10, TimeUnit.SECONDS);
            assertEquals("ws over the page's port", recorder.next());
            ws.abort();
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

    /** Joins message parts; records whole messages (String or byte[]) and the server's close code. */
    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        Object next() throws InterruptedException {
            Object message = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "no message within 10 s");
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
