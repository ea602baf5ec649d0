package dev.wsnetty.netty.server;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ServerConfig#maxConnectionsPerAddress()}: connections from one address beyond the limit are closed at
 * once, before a byte is read, with one log line per interval; a slot is free again when a connection closes.
 */
class ConnectionsPerAddressTest {
    private static final int LIMIT = 2;

    @Test
    void connectionsBeyondTheLimitOfAnAddressAreClosedAtOnce() throws IOException {
        try (WebSocketServerFixture server = WebSocketServerFixture.builder()
                .configure(s -> s.setServerConfig(ServerConfig.builder().maxConnectionsPerAddress(LIMIT).build()))
                .start();
             LogCapture log = new LogCapture("", Level.INFO);
             RawClient first = RawClient.upgrade(server.port(), "/");
             RawClient second = RawClient.upgrade(server.port(), "/")) {
            for (int i = 0; i < 3; i++) {
                try (RawClient extra = RawClient.connect(server.port())) {
                    extra.expectEndOfStream();
                }
            }
            assertEquals(1, log.containing("(maxConnectionsPerAddress)").size(),
                    LogCapture.describe(log.records()));

            first.sendClose(CloseCodes.NORMAL_CLOSURE, "");
            assertEquals(CloseCodes.NORMAL_CLOSURE, first.readUntilClose().closeCode());
            first.expectEndOfStream();
            Await.until("a slot is free again", () -> upgrades(server.port()));
        }
    }

    private static boolean upgrades(int port) {
        try (RawClient client = RawClient.connect(port)) {
            client.send(UpgradeRequest.to("/").header("Host", "127.0.0.1:" + port).toString());
            return client.readHead().equals(UpgradeRequest.SWITCHING);
        } catch (IOException e) {
            return false;
        }
    }
}
