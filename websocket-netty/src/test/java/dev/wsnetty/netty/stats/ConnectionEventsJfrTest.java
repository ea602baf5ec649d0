package dev.wsnetty.netty.stats;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JFR events of {@link ConnectionTelemetry}, recorded while a real connection opens and closes, and a refusal. */
class ConnectionEventsJfrTest {
    @TempDir
    Path dir;

    @Test
    void aRecordingHoldsTheOpenCloseAndHandshakeFailureEvents() throws Exception {
        List<RecordedEvent> events;
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().echo().start();
             Recording recording = new Recording()) {
            recording.enable("dev.wsnetty.ConnectionOpened");
            recording.enable("dev.wsnetty.ConnectionClosed");
            recording.enable("dev.wsnetty.HandshakeFailed");
            recording.start();
            try (RawClient client = RawClient.upgrade(server.port(), "/")) {
                client.sendClose(CloseCodes.GOING_AWAY, "bye");
                assertEquals(CloseCodes.GOING_AWAY, client.readUntilClose().closeCode());
                client.expectEndOfStream();
            }
            String refused = RawClient.exchange(server.port(),
                    UpgradeRequest.to("/").header("Host", "127.0.0.1:" + server.port())
                            .without("Sec-WebSocket-Version").toString());
            assertTrue(refused.startsWith("HTTP/1.1 426"), refused);
            WebSocketStatistics statistics = server.server().statistics();
            Await.until("the connection closed", () -> statistics.snapshot().connectionsOpen() == 0
                    && statistics.snapshot().connectionsOpened() == 1);
            recording.stop();
            Path file = dir.resolve("events.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        List<String> names = events.stream().map(e -> e.getEventType().getName()).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("dev.wsnetty.ConnectionClosed", "dev.wsnetty.ConnectionOpened",
                "dev.wsnetty.HandshakeFailed"), names);
        RecordedEvent opened = only(events, "dev.wsnetty.ConnectionOpened");
        assertEquals("server", opened.getString("role"));
        RecordedEvent closed = only(events, "dev.wsnetty.ConnectionClosed");
        assertEquals(CloseCodes.GOING_AWAY, closed.getInt("code"));
        assertEquals("bye", closed.getString("reason"));
        assertTrue(closed.getBoolean("remote"));
        assertTrue(closed.getBoolean("clean"));
        RecordedEvent failed = only(events, "dev.wsnetty.HandshakeFailed");
        assertEquals(426, failed.getInt("status"));
        assertTrue(failed.getString("reason").contains("Sec-WebSocket-Version"), failed.getString("reason"));
    }

    /** The JDK's "default" settings do not name our events: they are on by their own default (README, "Metrics"). */
    @Test
    void theJdksDefaultRecordingHasThemWithoutBeingTold() throws Exception {
        List<RecordedEvent> events;
        try (WebSocketServerFixture server = WebSocketServerFixture.builder().echo().start();
             Recording recording = new Recording(Configuration.getConfiguration("default"))) {
            recording.start();
            try (RawClient client = RawClient.upgrade(server.port(), "/")) {
                client.sendClose(CloseCodes.NORMAL_CLOSURE, "");
                assertEquals(CloseCodes.NORMAL_CLOSURE, client.readUntilClose().closeCode());
                client.expectEndOfStream();
            }
            WebSocketStatistics statistics = server.server().statistics();
            Await.until("the connection closed", () -> statistics.snapshot().connectionsOpen() == 0
                    && statistics.snapshot().connectionsOpened() == 1);
            recording.stop();
            Path file = dir.resolve("default.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        assertEquals(CloseCodes.NORMAL_CLOSURE, only(events, "dev.wsnetty.ConnectionClosed").getInt("code"));
        only(events, "dev.wsnetty.ConnectionOpened");
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).findFirst().orElseThrow();
    }
}
