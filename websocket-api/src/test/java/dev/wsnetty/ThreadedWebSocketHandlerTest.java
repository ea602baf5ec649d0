package dev.wsnetty;

import dev.wsnetty.internal.VirtualThreads;
import dev.wsnetty.spi.QueuedCommunicator;
import dev.wsnetty.spi.RecordingTransport;
import dev.wsnetty.spi.RecordingTransport.Close;
import dev.wsnetty.testing.Await;
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
        List<Thread> threads = new CopyOnWriteArrayList<>();
        List<Boolean> dispatching = new CopyOnWriteArrayList<>();
        ThreadedWebSocketHandler handler = handler(true, c -> {
            threads.add(Thread.currentThread());
            dispatching.add(c.isReceiveMessageThreadRunning());
        });
        assertEquals(JAVA_21 ? HandlerThreadKind.VIRTUAL : HandlerThreadKind.POOLED_PLATFORM, handler.threadKind());
        assertEquals(handler.threadKind(), new ThreadedWebSocketHandler().threadKind());

        RecordingTransport transport = new RecordingTransport();
        QueuedCommunicator comm = new QueuedCommunicator(transport);
        handler.handleCommunication(comm);
        assertClosedWith(transport, new Close(1000, ""));

        Thread t = threads.get(0);
        assertEquals(JAVA_21, VirtualThreads.isVirtual(t));
        if (JAVA_21) {
            assertEquals("", t.getName(), "virtual handler threads are unnamed");
        } else {
            assertTrue(t.getName().startsWith("wsnetty-handler-"), t.getName());
        }
        assertTrue(t.isDaemon());
        assertEquals(List.of(true), dispatching, "listener dispatch is on during doHandleCommunication");
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
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ThreadedWebSocketHandler handler = handler(false, c -> threads.add(Thread.currentThread()));
        assertEquals(JAVA_21 ? HandlerThreadKind.VIRTUAL : HandlerThreadKind.NEW_PLATFORM, handler.threadKind());

        for (int i = 0; i < 3; i++) {
            RecordingTransport transport = new RecordingTransport();
            handler.handleCommunication(new QueuedCommunicator(transport));
            assertClosedWith(transport, new Close(1000, ""));
        }
        assertEquals(3, threads.size());
        assertNotSame(threads.get(0), threads.get(1));
        assertNotSame(threads.get(1), threads.get(2));
        assertNotSame(threads.get(0), threads.get(2));
    }

    @Test
    void platformThreadKindsWorkOnEveryJvm() {
        for (HandlerThreadKind kind : List.of(HandlerThreadKind.POOLED_PLATFORM, HandlerThreadKind.NEW_PLATFORM)) {
            List<Thread> threads = new CopyOnWriteArrayList<>();
            RecordingTransport transport = new RecordingTransport();
            handler(kind, c -> threads.add(Thread.currentThread())).handleCommunication(new QueuedCommunicator(transport));
            assertClosedWith(transport, new Close(1000, ""));
            assertFalse(VirtualThreads.isVirtual(threads.get(0)), kind + " ran on a virtual thread");
            assertTrue(threads.get(0).getName().startsWith("wsnetty-handler-"), threads.get(0).getName());
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
        List<String> received = new CopyOnWriteArrayList<>();
        CountDownLatch listening = new CountDownLatch(1);
        ThreadedWebSocketHandler handler = handler(true, c -> {
            c.setOnReceiveMessage(comm -> {
                List<WebSocketMessage> messages = new java.util.ArrayList<>();
                comm.getUnprocessedMessages(messages);
                messages.forEach(m -> received.add(((StringMessage) m).data()));
            });
            listening.countDown();
            c.awaitClose();
        });
        RecordingTransport transport = new RecordingTransport();
        QueuedCommunicator comm = new QueuedCommunicator(transport);
        handler.handleCommunication(comm);
        assertTrue(listening.await(10, TimeUnit.SECONDS));

        comm.deliver(new StringMessage("hi server"));
        Await.until("the listener got the message", () -> received.equals(List.of("hi server")));
        comm.closed(new CloseStatus(1000, "bye"));
        Await.until("the handler finished", () -> handler.connections().isEmpty());
        transport.assertExhausted(); // no Close frame is sent on a connection that is already closed
    }
}
