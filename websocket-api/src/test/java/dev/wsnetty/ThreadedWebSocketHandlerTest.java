package dev.wsnetty;

import dev.wsnetty.internal.VirtualThreads;
import dev.wsnetty.spi.QueuedCommunicator;
import dev.wsnetty.spi.RecordingTransport;
import dev.wsnetty.spi.RecordingTransport.Close;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadedWebSocketHandlerTest {
    private static final boolean JAVA_21 = Runtime.version().feature() >= 21;

    /** A threaded handler whose doHandleCommunication runs {@code body}. */
    private static ThreadedWebSocketHandler handler(HandlerThreadKind kind, Consumer<Communicator> body) {
        return new ThreadedWebSocketHandler(kind) {
            @Override
            protected void doHandleCommunication(Communicator c) {
                body.accept(c);
            }
        };
    }

    private static ThreadedWebSocketHandler handler(boolean pooling, Consumer<Communicator> body) {
        return handler(HandlerThreadKind.preferred(pooling), body);
    }

    /** Waits for the one {@code sendClose} call the handler makes, checks it, and that nothing else was sent. */
    private static void assertClosedWith(RecordingTransport t, Close expected) {
        t.closes().assertNext(expected);
        t.assertExhausted();
    }

    @Test
    void runsOnAVirtualThreadOnJava21AndAPooledPlatformThreadBefore() throws Exception {
        EventRecorder<Thread> threads = new EventRecorder<>("handler call");
        EventRecorder<Boolean> dispatching = new EventRecorder<>("dispatch state");
        ThreadedWebSocketHandler handler = handler(true, c -> {
            threads.record(Thread.currentThread());
            dispatching.record(c.isReceiveMessageThreadRunning());
        });
        assertEquals(JAVA_21 ? HandlerThreadKind.VIRTUAL : HandlerThreadKind.POOLED_PLATFORM, handler.threadKind());
        assertEquals(handler.threadKind(), new ThreadedWebSocketHandler().threadKind());

        RecordingTransport transport = new RecordingTransport();
        QueuedCommunicator comm = new QueuedCommunicator(transport);
        handler.handleCommunication(comm);
        assertClosedWith(transport, new Close(1000, ""));

        Thread t = threads.next();
        threads.assertExhausted();
        assertEquals(JAVA_21, VirtualThreads.isVirtual(t));
        if (JAVA_21) {
            assertEquals("", t.getName(), "virtual handler threads are unnamed");
        } else {
            assertTrue(t.getName().startsWith("wsnetty-handler-"), t.getName());
        }
        assertTrue(t.isDaemon());
        dispatching.assertNext(true); // listener dispatch is on during doHandleCommunication
        dispatching.assertExhausted();
        assertFalse(comm.isReceiveMessageThreadRunning(), "and off after it");
        assertTrue(handler.connections().isEmpty());
    }

    @Test
    void handleCommunicationReturnsAtOnceWhileTheHandlerBlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        ThreadedWebSocketHandler handler = handler(true, c -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RecordingTransport transport = new RecordingTransport();
        QueuedCommunicator comm = new QueuedCommunicator(transport);

        handler.handleCommunication(comm);

        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertEquals(Set.of(comm), handler.connections());
        transport.assertExhausted();
        release.countDown();
        assertClosedWith(transport, new Close(1000, ""));
        assertTrue(handler.connections().isEmpty());
    }

    @Test
    void withoutPoolingEveryConnectionGetsANewThread() {
        EventRecorder<Thread> threads = new EventRecorder<>("handler call");
        ThreadedWebSocketHandler handler = handler(false, c -> threads.record(Thread.currentThread()));
        assertEquals(JAVA_21 ? HandlerThreadKind.VIRTUAL : HandlerThreadKind.NEW_PLATFORM, handler.threadKind());

        for (int i = 0; i < 3; i++) {
            RecordingTransport transport = new RecordingTransport();
            handler.handleCommunication(new QueuedCommunicator(transport));
            assertClosedWith(transport, new Close(1000, ""));
        }
        Thread first = threads.next();
        Thread second = threads.next();
        Thread third = threads.next();
        threads.assertExhausted();
        assertNotSame(first, second);
        assertNotSame(second, third);
        assertNotSame(first, third);
    }

    @Test
    void platformThreadKindsWorkOnEveryJvm() {
        for (HandlerThreadKind kind : List.of(HandlerThreadKind.POOLED_PLATFORM, HandlerThreadKind.NEW_PLATFORM)) {
            EventRecorder<Thread> threads = new EventRecorder<>("handler call");
            RecordingTransport transport = new RecordingTransport();
            handler(kind, c -> threads.record(Thread.currentThread())).handleCommunication(new QueuedCommunicator(transport));
            assertClosedWith(transport, new Close(1000, ""));
            Thread thread = threads.next();
            threads.assertExhausted();
            assertFalse(VirtualThreads.isVirtual(thread), kind + " ran on a virtual thread");
            assertTrue(thread.getName().startsWith("wsnetty-handler-"), thread.getName());
        }
    }

    @Test
    void virtualThreadsAreRefusedClearlyBeforeJava21() {
        assertEquals(JAVA_21, HandlerThreadKind.VIRTUAL.isAvailable());
        if (JAVA_21) {
            assertEquals(HandlerThreadKind.VIRTUAL, new ThreadedWebSocketHandler(HandlerThreadKind.VIRTUAL).threadKind());
        } else {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> new ThreadedWebSocketHandler(HandlerThreadKind.VIRTUAL));
            assertTrue(e.getMessage().contains("Java 21"), e.getMessage());
        }
    }

    @Test
    void anExceptionInDoHandleClosesWith1011AndThePoolKeepsWorking() {
        List<String> ran = new CopyOnWriteArrayList<>();
        ThreadedWebSocketHandler handler = handler(HandlerThreadKind.POOLED_PLATFORM, c -> {
            ran.add(c.remoteAddress().toString());
            if (ran.size() == 1) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
        });

        RecordingTransport failing = new RecordingTransport();
        handler.handleCommunication(new QueuedCommunicator(failing));
        assertClosedWith(failing, new Close(1011, "Internal error"));
        Await.until("the failed connection was finalized", () -> handler.connections().isEmpty());

        for (int i = 0; i < 3; i++) {
            RecordingTransport ok = new RecordingTransport();
            handler.handleCommunication(new QueuedCommunicator(ok));
            assertClosedWith(ok, new Close(1000, ""));
        }
        assertEquals(4, ran.size());
    }

    @Test
    void anExceptionInFinalizeIsLoggedAndStillCloses() {
        RecordingTransport transport = new RecordingTransport();
        ThreadedWebSocketHandler handler = new ThreadedWebSocketHandler(HandlerThreadKind.POOLED_PLATFORM) {
            @Override
            protected void finalizeCommunication(Communicator c) {
                throw new IllegalStateException("finalize bug (expected by the test)");
            }
        };
        handler.handleCommunication(new QueuedCommunicator(transport));
        assertClosedWith(transport, new Close(1011, "Internal error"));
    }

    @Test
    void listenersSetInDoHandleReceiveMessagesWhileItWaits() throws Exception {
        EventRecorder<String> received = new EventRecorder<>("message");
        CountDownLatch listening = new CountDownLatch(1);
        ThreadedWebSocketHandler handler = handler(true, c -> {
            c.setOnReceiveMessage(comm -> {
                List<WebSocketMessage> messages = new java.util.ArrayList<>();
                comm.getUnprocessedMessages(messages);
                messages.forEach(m -> received.record(((StringMessage) m).data()));
            });
            listening.countDown();
            c.awaitClose();
        });
        RecordingTransport transport = new RecordingTransport();
        QueuedCommunicator comm = new QueuedCommunicator(transport);
        handler.handleCommunication(comm);
        assertTrue(listening.await(10, TimeUnit.SECONDS));

        comm.deliver(new StringMessage("hi server"));
        received.assertNext("hi server"); // the listener got the message
        received.assertExhausted();
        comm.closed(new CloseStatus(1000, "bye"));
        Await.until("the handler finished", () -> handler.connections().isEmpty());
        transport.assertExhausted(); // no Close frame is sent on a connection that is already closed
    }
}
