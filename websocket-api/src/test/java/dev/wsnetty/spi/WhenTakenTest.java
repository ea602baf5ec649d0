package dev.wsnetty.spi;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link QueuedCommunicator#whenTaken}: what "the application has taken the messages before a protocol violation
 * and is back for the next" means, for a thread in a waitForMessage loop and for a receive-message listener.
 */
class WhenTakenTest {
    @RegisterExtension
    final RecordingTransport transport = new RecordingTransport();
    private final ManualExecutor listeners = new ManualExecutor();
    private final QueuedCommunicator comm = new QueuedCommunicator(transport, InboundQueueLimits.DEFAULT, listeners);
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void runsAtOnceWhenNothingIsQueuedAndNothingWasTaken() {
        comm.whenTaken(runs::incrementAndGet);

        assertEquals(1, runs.get(), "an application that never takes messages and has none queued does not wait");
    }

    @Test
    void waitsForTheQueuedMessageToBeTakenAndTheTakerToComeBack() throws Exception {
        comm.deliver(new StringMessage("before"));
        comm.whenTaken(runs::incrementAndGet);
        assertEquals(0, runs.get());

        assertEquals(new StringMessage("before"), comm.waitForMessage());
        assertEquals(0, runs.get(), "taken, but its answer may still be coming");

        Background<WebSocketMessage> next = Background.start("handler", comm::waitForMessage).awaitParked();
        assertEquals(1, runs.get(), "back for the next message");
        comm.closed(new CloseStatus(1002, "bad frame"));
        assertNull(next.get());
    }

    @Test
    void waitsForAThreadThatTookAMessageBeforeTheViolationToComeBack() throws Exception {
        comm.deliver(new StringMessage("taken before"));
        comm.waitForMessage();
        comm.whenTaken(runs::incrementAndGet);
        assertEquals(0, runs.get(), "nothing queued, but the answer to the last message may still be coming");

        Background<WebSocketMessage> next = Background.start("handler", comm::waitForMessage).awaitParked();
        Await.until("the task to run when the handler waits again", () -> runs.get() == 1);
        comm.closed(new CloseStatus(1002, "bad frame"));
        next.get();
    }

    @Test
    void runsWhenTheListenerCallThatTookTheMessagesReturns() {
        comm.setOnReceiveMessage(c -> {
            List<WebSocketMessage> into = new ArrayList<>();
            c.getUnprocessedMessages(into);
            assertEquals(0, runs.get(), "not while the listener is still answering");
        });
        comm.startReceiveMessageThread();
        comm.deliver(new StringMessage("before"));
        comm.whenTaken(runs::incrementAndGet);
        assertEquals(0, runs.get());

        listeners.runAll();

        assertEquals(1, runs.get());
    }

    @Test
    void neverRunsOnceTheConnectionEnded() {
        comm.deliver(new StringMessage("never taken"));
        comm.whenTaken(runs::incrementAndGet);
        comm.closed(new CloseStatus(1006, ""));

        comm.getUnprocessedMessages(new ArrayList<>());
        comm.waitForMessage(); // returns null at once: closed

        assertEquals(0, runs.get());
    }
}
