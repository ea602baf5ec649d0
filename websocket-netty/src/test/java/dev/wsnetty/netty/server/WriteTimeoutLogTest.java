package dev.wsnetty.netty.server;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.LogCapture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A handler whose writes time out against peers that do not read: the server logs it in one line without a
 * stack trace, and several such peers within the log interval in one line.
 */
class WriteTimeoutLogTest {
    private static final int PEERS = 3;

    @ParameterizedTest
    @EnumSource(HandlerKind.class)
    void writeTimeoutsAreOneLineWithoutStackTrace(HandlerKind kind) throws IOException {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setConfig(WebSocketConfig.builder().closeTimeout(Duration.ofMillis(300)).build());
        server.setCommunicatorConfig(CommunicatorConfig.builder().writeTimeout(Duration.ofMillis(300)).build());
        server.registerHandler("*", "*", kind.create(c -> {
            byte[] chunk = new byte[16 * 1024];
            while (true) {
                c.writeBinaryMessage(chunk); // until the write timeout ends the handler
            }
        }), true, true);
        server.bind();
        List<RawClient> peers = new ArrayList<>();
        try (LogCapture log = new LogCapture("", Level.INFO)) {
            for (int i = 0; i < PEERS; i++) {
                peers.add(RawClient.connect(server.port(), socket -> smallReceiveBuffer(socket)).upgrade("/"));
            }
            Await.until("the write timeouts were logged", () -> !log.containing("could not write").isEmpty());
            // After its write timed out, the handler ended and its connection was closed (1011, then TCP).
            Await.until("every connection ended", () -> server.connectionCount() == 0);
            List<LogRecord> lines = log.containing("could not write");
            System.out.println(PEERS + " write timeouts: " + LogCapture.describe(lines));
            assertEquals(1, lines.size(), LogCapture.describe(lines));
            assertNull(lines.get(0).getThrown(), "no stack trace: " + LogCapture.describe(lines));
        } finally {
            for (RawClient peer : peers) {
                peer.reset();
            }
            server.stop();
        }
    }

    private static void smallReceiveBuffer(java.net.Socket socket) {
        try {
            socket.setReceiveBufferSize(8192);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }
}
