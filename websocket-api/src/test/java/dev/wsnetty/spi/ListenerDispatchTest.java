package dev.wsnetty.spi;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.internal.VirtualThreads;
import dev.wsnetty.testing.EventRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** startReceiveMessageThread and friends: listener dispatch instead of a receiver thread. */
class ListenerDispatchTest {
    @RegisterExtension
    final RecordingTransport transport = new RecordingTransport();
    private final ManualExecutor listeners = new ManualExecutor();
    private final QueuedCommunicator comm =
            new QueuedCommunicator(transport, InboundQueueLimits.DEFAULT, listeners);
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void withoutDispatchDeliveriesDoNotCallTheListener() {
        comm.setOnReceiveMessage(c -> calls.incrementAndGet());
        comm.deliver(new StringMessage("a"));
        listeners.runAll();
        assertEquals(0, calls.get());
        assertFalse(comm.isReceiveMessageThreadRunning());
    }

    @Test
    void everyQueuedMessageTriggersOneCallInsideTheReceiveThread() {
        List<Boolean> inside = new ArrayList<>();
        List<WebSocketMessage> drained = new ArrayList<>();
        comm.setOnReceiveMessage(c -> {
            inside.add(c.inReceiveMessageThread());
            c.getUnprocessedMessages(drained);
        });
        comm.startReceiveMessageThread();
        assertTrue(comm.isReceiveMessageThreadRunning());

        comm.deliver(new StringMessage("a"));
        comm.deliver(new BinaryMessage(new byte[] {1}));
        comm.deliver(new StringMessage("c"));
        listeners.runAll();

        assertEquals(List.of(true, true, true), inside);
        assertEquals(3, drained.size());
        assertFalse(comm.inReceiveMessageThread());
    }

    @Test
    void startingWithMessagesAlreadyQueuedCallsTheListenerForThem() {
        comm.setOnReceiveMessage(c -> calls.incrementAndGet());
        comm.deliver(new StringMessage("early"));
        comm.deliver(new StringMessage("early too"));

        comm.startReceiveMessageThread();
        comm.startReceiveMessageThread(); // already on: no second call
        listeners.runAll();

        assertEquals(1, calls.get());
    }

    @Test
    void stopTakesEffectAtOnceEvenForCallsAlreadyDue() {
        comm.setOnReceiveMessage(c -> calls.incrementAndGet());
        comm.startReceiveMessageThread();
        comm.deliver(new StringMessage("a"));
        comm.deliver(new StringMessage("b"));

        comm.stopReceiveMessageThread();
        listeners.runAll();

        assertEquals(0, calls.get());
        assertFalse(comm.isReceiveMessageThreadRunning());
        assertTrue(comm.hasMessages(), "messages stay queued");
    }

    @Test
    void aListenerThatStopsDispatchGetsNoFurtherCalls() {
        comm.setOnReceiveMessage(c -> {
            calls.incrementAndGet();
            c.stopReceiveMessageThread();
        });
        comm.startReceiveMessageThread();
        for (int i = 0; i < 3; i++) {
            comm.deliver(new StringMessage("m" + i));
        }
        listeners.runAll();
        assertEquals(1, calls.get());
    }

    @Test
    void dispatchIsHeldBackWhileAThreadWaitsAndFiredOnceAfter() throws Exception {
        comm.setOnReceiveMessage(c -> calls.incrementAndGet());
        comm.startReceiveMessageThread();
        Background<BinaryMessage> waiter = Background.start("waiter", comm::waitForBinaryMessage).awaitParked();

        comm.deliver(new StringMessage("not for the waiter"));
        listeners.runAll();
        assertEquals(0, calls.get(), "the listener must not run while a waiter waits");

        comm.deliver(new BinaryMessage(new byte[] {42}));
        assertEquals(new BinaryMessage(new byte[] {42}), waiter.get());
        listeners.runAll();
        assertEquals(1, calls.get(), "fired once afterwards for the string still queued");
    }

    @Test
    void aThrowingListenerDoesNotStopLaterCalls() {
        comm.setOnReceiveMessage(c -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug (expected by the test)");
        });
        comm.startReceiveMessageThread();
        comm.deliver(new StringMessage("a"));
        comm.deliver(new StringMessage("b"));
        listeners.runAll();
        assertEquals(2, calls.get());
    }

    @Test
    void closeEndsDispatchButCallsDueBeforeTheCloseStillRunThenOnClose() {
        EventRecorder<String> events = new EventRecorder<>("listener call");
        comm.setOnReceiveMessage(c -> events.record("message"));
        comm.setOnClose((c, s) -> events.record("close " + s.code()));
        comm.startReceiveMessageThread();
        comm.deliver(new StringMessage("a"));
        comm.closed(CloseStatus.NORMAL);

        assertFalse(comm.isReceiveMessageThreadRunning());
        listeners.runAll();
        events.assertNext("message", "close 1000");
        events.assertExhausted();
    }

    @Test
    void callsForOneConnectionNeverOverlapOnASharedPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            QueuedCommunicator c = new QueuedCommunicator(transport, InboundQueueLimits.DEFAULT, pool);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            EventRecorder<String> calls = new EventRecorder<>("listener call");
            c.setOnReceiveMessage(comm -> {
                int now = running.incrementAndGet();
                maxRunning.accumulateAndGet(now, Math::max);
                for (int i = 0; i < 50; i++) {
                    Thread.yield(); // widen the window an overlapping call would fall into
                }
                calls.record("message");
                running.decrementAndGet();
            });
            c.setOnClose((comm, s) -> calls.record("close"));
            c.startReceiveMessageThread();
            int messages = 200;
            for (int i = 0; i < messages; i++) {
                c.deliver(new StringMessage("m" + i));
            }
            c.closed(CloseStatus.NORMAL);

            for (int i = 0; i < messages; i++) {
                calls.assertNext("message");
            }
            calls.assertNext("close"); // onClose comes after the message calls due before it
            calls.assertExhausted();
            assertEquals(1, maxRunning.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void defaultExecutorRunsListenersOffTheDeliveringThread() throws Exception {
        QueuedCommunicator c = new QueuedCommunicator(transport);
        EventRecorder<Thread> threads = new EventRecorder<>("listener call");
        c.setOnReceiveMessage(comm -> threads.record(Thread.currentThread()));
        c.startReceiveMessageThread();
        c.deliver(new StringMessage("x"));
        Thread t = threads.next();
        assertFalse(t == Thread.currentThread());
        assertTrue(t.getName().startsWith("wsnetty-listener-"), t.getName());
        assertEquals(Runtime.version().feature() >= 21, VirtualThreads.isVirtual(t));
        threads.assertExhausted();
    }
}
