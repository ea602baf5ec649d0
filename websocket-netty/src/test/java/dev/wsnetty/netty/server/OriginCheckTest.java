package dev.wsnetty.netty.server;

import dev.wsnetty.AllowedOrigins;
import dev.wsnetty.Communicator;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The origin check of {@link WebSocketServer}, over real sockets: the default, the server's list, a handler's own. */
class OriginCheckTest {
    private static final String FOREIGN = "https://evil.example";

    @Test
    void aForeignOriginGets403WithTheReasonByDefault() throws IOException {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start()) {
            String answer = exchange(server.port(), "/", FOREIGN);
            assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
            assertTrue(answer.endsWith("origin \"" + FOREIGN + "\" is not allowed"), answer);
        }
    }

    @Test
    void aRequestWithoutOriginPassesByDefault() throws IOException {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start();
             RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.sendText("hello");
            Communicator communicator = server.next();
            assertEquals("hello", communicator.waitForStringMessage().data());
        }
    }

    @Test
    void aSameOriginRequestPassesByDefault() throws IOException {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start()) {
            String host = "127.0.0.1:" + server.port();
            assertUpgrades(server.port(), host, "http://" + host);
            assertUpgrades(server.port(), "localhost:" + server.port(), "http://LOCALHOST:" + server.port());
            assertTrue(exchange(server.port(), "/", "http://127.0.0.1:1").startsWith("HTTP/1.1 403 "),
                    "same host on another port is another origin");
        }
    }

    @Test
    void theServersAllowListLetsListedOriginsPass() throws IOException {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder()
                .configure(s -> s.setServerConfig(ServerConfig.builder()
                        .allowedOrigins(AllowedOrigins.of("https://app.example:443", "http://other.example:8080"))
                        .build()))
                .start()) {
            assertUpgrades(server.port(), "127.0.0.1:" + server.port(), "https://app.example");
            assertUpgrades(server.port(), "127.0.0.1:" + server.port(), "http://other.example:8080");
            assertTrue(exchange(server.port(), "/", FOREIGN).startsWith("HTTP/1.1 403 "));
            assertTrue(exchange(server.port(), "/", "http://other.example").startsWith("HTTP/1.1 403 "));
        }
    }

    @Test
    void aHandlersOwnSettingOverridesTheServers() throws IOException {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().start()) {
            server.server().registerHandler("*", "/public", new WebSocketHandler() {
                @Override
                public AllowedOrigins allowedOrigins() {
                    return AllowedOrigins.any();
                }
            });
            server.server().registerHandler("*", "/partner", new WebSocketHandler() {
                @Override
                public AllowedOrigins allowedOrigins() {
                    return AllowedOrigins.of("https://partner.example");
                }
            });
            assertUpgrades(server.port(), "/public", "127.0.0.1:" + server.port(), FOREIGN);
            assertUpgrades(server.port(), "/partner", "127.0.0.1:" + server.port(), "https://partner.example");
            assertTrue(exchange(server.port(), "/partner", FOREIGN).startsWith("HTTP/1.1 403 "));
            assertTrue(exchange(server.port(), "/", FOREIGN).startsWith("HTTP/1.1 403 "), "the default route");
        }
    }

    private static void assertUpgrades(int port, String host, String origin) throws IOException {
        assertUpgrades(port, "/", host, origin);
    }

    private static void assertUpgrades(int port, String path, String host, String origin) throws IOException {
        try (RawClient client = RawClient.connect(port)) {
            client.upgrade(UpgradeRequest.to(path).header("Host", host).header("Origin", origin), new byte[0]);
        }
    }

    private static String exchange(int port, String path, String origin) throws IOException {
        return RawClient.exchange(port, UpgradeRequest.to(path).header("Host", "127.0.0.1:" + port)
                .header("Origin", origin).toString());
    }
}
