package dev.wsnetty.spi;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.PongMessage;
import dev.wsnetty.StringMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The inbound queue pauses and resumes the transport's reading around its watermarks. */
class BackpressureTest {
    @RegisterExtension
    final RecordingTransport transport = new RecordingTransport();
    // Pause at 4 messages or 100 bytes; resume at <= 1 message and <= 10 bytes.
    private final QueuedCommunicator comm =
            new QueuedCommunicator(transport, new InboundQueueLimits(4, 1, 100, 10), new ManualExecutor());

    @Test
    void readingPausesAtTheHighMessageMarkAndResumesAtTheLowOne() {
        for (int i = 0; i < 3; i++) {
            comm.deliver(new StringMessage("m" + i));
        }
        transport.readingCalls().assertExhausted();

        comm.deliver(new StringMessage("m3"));
        transport.readingCalls().assertNext(false);
        comm.deliver(new StringMessage("m4")); // in flight when reading paused: still queued, no second call
        transport.readingCalls().assertExhausted();

        comm.receiveMessage();
        comm.receiveMessage();
        comm.waitForStringMessage();
        transport.readingCalls().assertExhausted(); // 2 messages left: above the low mark
        comm.receiveMessage();
        transport.readingCalls().assertNext(true);
        assertEquals(new StringMessage("m4"), comm.receiveMessage());
        transport.readingCalls().assertExhausted();
    }

    @Test
    void readingPausesAtTheHighByteMarkAndWaitsForTheBytesToDrainToo() {
        comm.deliver(new PongMessage(new byte[5]));
        comm.deliver(new BinaryMessage(new byte[95]));
        transport.readingCalls().assertNext(false);

        comm.deliver(new PongMessage(new byte[8]));
        comm.waitForBinaryMessage();
        transport.readingCalls().assertExhausted(); // 13 bytes left: above the low byte mark
        comm.waitForPongMessage();
        transport.readingCalls().assertNext(true);
    }

    @Test
    void drainingTheQueueResumesReading() {
        for (int i = 0; i < 6; i++) {
            comm.deliver(new StringMessage("m" + i));
        }
        assertEquals(6, comm.getUnprocessedMessages(new ArrayList<>()));
        transport.readingCalls().assertNext(false, true);
    }

    @Test
    void noReadingSwitchAfterTheConnectionClosed() {
        for (int i = 0; i < 4; i++) {
            comm.deliver(new StringMessage("m" + i));
        }
        comm.closed(CloseStatus.NORMAL);
        comm.getUnprocessedMessages(new ArrayList<>());
        transport.readingCalls().assertNext(false);
    }

    @Test
    void marksAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new InboundQueueLimits(4, 4, 100, 10));
        assertThrows(IllegalArgumentException.class, () -> new InboundQueueLimits(0, 0, 100, 10));
        assertThrows(IllegalArgumentException.class, () -> new InboundQueueLimits(4, 1, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new InboundQueueLimits(4, -1, 100, 10));
        assertEquals(256, InboundQueueLimits.DEFAULT.highMessageCount());
        assertEquals(1 << 20, InboundQueueLimits.DEFAULT.highByteCount());
    }
}
