package dev.wsnetty.examples;

import com.sun.net.httpserver.HttpServer;
import dev.wsnetty.netty.CompressionMode;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.deflate.DeflateAgreement;
import dev.wsnetty.netty.testing.EchoEndpoint;
import dev.wsnetty.netty.testing.JsonText;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.WireTap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.ScriptTimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.wsnetty.netty.testing.WireTap.Direction.TO_CLIENT;
import static dev.wsnetty.netty.testing.WireTap.Direction.TO_SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate with a real browser: headless Chromium opens a WebSocket to our server (echoing, compression
 * set explicitly, through a {@link WireTap} that reads RSV1 off the wire), sends a 4000-character JSON text and a
 * short one, and gets both echoes back. The server must have taken Chromium's offer, and the wire must show the
 * long echo compressed and the short one (under the 256-byte threshold) not; Chromium compresses what it sends.
 */
class BrowserCompressionTest {
    /** Opens a WebSocket, sends each text in turn awaiting its echo, and answers with the echoes and extensions. */
    private static final String EXCHANGE = String.join("\n",
            "const [url, texts, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];",
            "const echoes = [];",
            "const ws = new WebSocket(url);",
            "ws.onopen = () => ws.send(texts[0]);",
            "ws.onmessage = (e) => {",
            "  echoes.push(e.data);",
            "  if (echoes.length < texts.length) { ws.send(texts[echoes.length]); return; }",
            "  const extensions = ws.extensions;",
            "  ws.onclose = () => done({echoes: echoes, extensions: extensions});",
            "  ws.close(1000);",
            "};",
            "ws.onclose = (e) => done({error: 'closed with ' + e.code + ' ' + e.reason, echoes: echoes});");

    @TempDir
    Path profile;

    @Test
    void chromiumsOfferIsTakenAndTheMessagesGoCompressed() throws Exception {
        ChromeDriver browser = Chromium.start(profile);
        HttpServer page = blankPage();
        try {
            // A page from loopback: from an opaque origin (the driver's data: page) Chromium's local network access
            // checks would hold a WebSocket to 127.0.0.1 for a permission no one grants.
            browser.get("http://127.0.0.1:" + page.getAddress().getPort() + "/");
            browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            exchange(browser, CompressionMode.LEAN,
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
            exchange(browser, CompressionMode.CONTEXT_TAKEOVER, "permessage-deflate");
        } finally {
            browser.quit();
            page.stop(0);
        }
    }

    /** An HTTP server on 127.0.0.1 answering every request with an empty page. */
    private static HttpServer blankPage() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            byte[] body = "<!DOCTYPE html><title>compression</title>".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @SuppressWarnings("unchecked")
    private static void exchange(ChromeDriver browser, CompressionMode mode, String answer) throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        WebSocketConfig config = WebSocketConfig.builder().compression(mode).build();
        String json = JsonText.of(4000, 0);
        try (TestServer server = TestServer.start(echo, config); WireTap tap = WireTap.to(server.port())) {
            Map<String, Object> result;
            try {
                result = (Map<String, Object>) browser.executeAsyncScript(EXCHANGE, tap.uri("/").toString(),
                        List.of(json, "a short text"));
            } catch (ScriptTimeoutException e) {
                throw new AssertionError(mode + ": the browser did not finish; upgraded connections: "
                        + echo.upgradedCount() + ", frames to the server " + tap.frames(TO_SERVER)
                        + ", to the client " + tap.frames(TO_CLIENT), e);
            }
            assertEquals(null, result.get("error"), () -> mode + ": " + result + ", upgraded connections: "
                    + echo.upgradedCount() + ", frames to the server " + tap.frames(TO_SERVER) + ", to the client "
                    + tap.frames(TO_CLIENT));
            assertEquals(List.of(json, "a short text"), result.get("echoes"), mode + ": the echoes");
            assertEquals(answer, result.get("extensions"), mode + ": the answer as Chromium took it");

            EchoEndpoint.Connection connection = echo.nextConnection();
            String offer = connection.request().header("Sec-WebSocket-Extensions");
            assertTrue(offer.startsWith("permessage-deflate"), "Chromium's offer: " + offer);
            assertTrue(DeflateAgreement.of(connection.channel()).isPresent(), mode + ": no agreement on our side");

            List<WireTap.Message> sent = tap.messages(TO_SERVER);
            List<WireTap.Message> echoed = tap.messages(TO_CLIENT);
            assertEquals(2, sent.size(), sent::toString);
            assertTrue(sent.get(0).compressed(), () -> mode + ": Chromium's long text went uncompressed: " + sent);
            assertEquals(2, echoed.size(), echoed::toString);
            assertTrue(echoed.get(0).compressed(), () -> mode + ": our long echo went uncompressed: " + echoed);
            assertTrue(echoed.get(0).payloadLength() < json.length() / 3, () -> mode + ": " + echoed);
            assertFalse(echoed.get(1).compressed(), () -> mode + ": the short echo went compressed: " + echoed);
        }
    }
}
