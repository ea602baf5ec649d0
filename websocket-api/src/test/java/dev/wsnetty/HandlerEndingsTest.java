package dev.wsnetty;

import dev.wsnetty.spi.QueuedCommunicator;
import dev.wsnetty.spi.RecordingTransport;
import dev.wsnetty.spi.RecordingTransport.Close;
import dev.wsnetty.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is logged for each way a handler's code ends, and how the connection is closed: on the plain handler, which
 * runs in the calling thread, so that the log is complete when {@code handleCommunication} returns.
 */
class HandlerEndingsTest {
    private final RecordingTransport transport = new RecordingTransport();
    private final QueuedCommunicator communicator = new QueuedCommunicator(transport);

    private static WebSocketHandler handler(Consumer<Communicator> body) {
        return new WebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator c) {
                body.accept(c);
            }
        };
    }

    @Test
    void normalEndLogsNothingAndClosesWith1000() {
        try (LogCapture log = new LogCapture("dev.wsnetty")) {
            handler(c -> { }).handleCommunication(communicator);
            assertEquals(List.of(), log.records());
        }
        transport.closes().assertNext(new Close(1000, ""));
        transport.assertExhausted();
    }

    @Test
    void writeAfterThePeerClosedEndsQuietlyWithOneDebugLineStatingTheRealCode() {
        try (LogCapture log = new LogCapture("dev.wsnetty")) {
            handler(c -> {
                communicator.closed(new CloseStatus(1000, "bye")); // the peer's Close came, the connection ended
                c.writeStringMessage("the reply");
            }).handleCommunication(communicator);

            List<LogRecord> records = log.records();
            assertEquals(1, records.size(), () -> "records: " + log.messages(Level.FINE));
            LogRecord only = records.get(0);
            assertEquals(Level.FINE, only.getLevel()); // System.Logger's DEBUG
            assertNull(only.getThrown(), "no stack trace");
            assertTrue(only.getMessage().contains("1000") && only.getMessage().contains("bye"), only.getMessage());
            assertTrue(!only.getMessage().contains("1011"), only.getMessage());
        }
        transport.assertExhausted(); // no Close 1011, no frame
    }

    @Test
    void handlerBugIsLoggedAsAnErrorWithItsStackTraceAndClosesWith1011() {
        IllegalStateException bug = new IllegalStateException("bug in the handler");
        try (LogCapture log = new LogCapture("dev.wsnetty")) {
            ThreadedWebSocketHandler threaded = new ThreadedWebSocketHandler() {
                @Override
                protected void doHandleCommunication(Communicator c) {
                    throw bug;
                }
            };
            threaded.handleCommunication(communicator);
            transport.closes().assertNext(new Close(1011, "Internal error"));
            List<LogRecord> severe = log.records(Level.SEVERE);
            assertEquals(1, severe.size(), () -> "records: " + log.records());
            assertSame(bug, severe.get(0).getThrown());
            assertTrue(severe.get(0).getMessage().contains("closing it with 1011"), severe.get(0).getMessage());
        }
    }
}
