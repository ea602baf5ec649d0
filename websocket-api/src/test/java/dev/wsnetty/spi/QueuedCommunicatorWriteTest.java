package dev.wsnetty.spi;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketTimeoutException;
import dev.wsnetty.spi.RecordingTransport.Close;
import dev.wsnetty.spi.RecordingTransport.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.spi.RecordingTransport.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueuedCommunicatorWriteTest {
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONT = 0x0;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    @RegisterExtension
    final RecordingTransport transport = new RecordingTransport();
    private final QueuedCommunicator comm =
            new QueuedCommunicator(transport, InboundQueueLimits.DEFAULT, new ManualExecutor());

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- fragmentation, as the original observed

    @Test
    void fragmentsUseContinuationOpcodesAndFinOnlyOnTheLast() throws Exception {
        try (MessageOutputStream out = comm.writeMessage(MessageType.STRING, 4)) {
            out.write(bytes("HelloWorld"));
        }
        transport.frames().assertNext(frame(TEXT, false, "Hell"), frame(CONT, false, "oWor"), frame(CONT, true, "ld"));
    }

    @Test
    void aPayloadOfExactlyMaxFrameLengthIsOneFrame() throws Exception {
        try (MessageOutputStream out = comm.writeMessage(MessageType.STRING, 4)) {
            out.write(bytes("Hell"));
        }
        transport.frames().assertNext(frame(TEXT, true, "Hell"));
    }

    @Test
    void anEmptyMessageIsOneEmptyFrame() {
        comm.writeMessage(MessageType.BINARY, 4).close();
        comm.writeStringMessage("");
        comm.writeBinaryMessage(new byte[0]);
        transport.frames().assertNext(frame(BINARY, true, ""), frame(TEXT, true, ""), frame(BINARY, true, ""));
    }

    @Test
    void fragmentBoundariesFollowTheBufferNotTheWriteCalls() throws Exception {
        try (MessageOutputStream out = comm.writeMessage(MessageType.STRING, 4)) {
            out.write(bytes("abc"));
            out.flush(); // sends nothing
            out.write(bytes("defgh"));
        }
        transport.frames().assertNext(frame(TEXT, false, "abcd"), frame(CONT, true, "efgh"));
    }

    @Test
    void singleByteWritesFragmentTheSameWay() throws Exception {
        try (MessageOutputStream out = comm.writeMessage(MessageType.BINARY, 4)) {
            for (byte b : bytes("abcdefghi")) {
                out.write(b);
            }
        }
        transport.frames().assertNext(frame(BINARY, false, "abcd"), frame(CONT, false, "efgh"), frame(CONT, true, "i"));
    }

    @Test
    void defaultFrameLengthIs65535() throws Exception {
        byte[] payload = new byte[70_000];
        Arrays.fill(payload, (byte) 7);
        try (MessageOutputStream out = comm.writeMessage(MessageType.BINARY)) {
            out.write(payload);
        }
        try (MessageOutputStream out = comm.writeMessage()) {
            out.write(bytes("text"));
        }
        Frame first = transport.frames().next();
        assertEquals(BINARY, first.opcode());
        assertEquals(65535, first.payload().length);
        assertFalse(first.fin());
        Frame second = transport.frames().next();
        assertEquals(CONT, second.opcode());
        assertEquals(4465, second.payload().length);
        assertTrue(second.fin());
        transport.frames().assertNext(frame(TEXT, true, "text"));
    }

    @Test
    void singleFrameWritesSendOneFrameEach() {
        comm.writeStringMessage("héllo wörld");
        comm.writeBinaryMessage(new byte[] {1, 2, 3});
        comm.writeRawMessage(bytes("xxABCxx"), 2, 3, MessageType.BINARY);
        comm.writeRawMessage(bytes("hi"), 0, 2, MessageType.PONG);
        transport.frames().assertNext(frame(TEXT, true, "héllo wörld"), new Frame(BINARY, true, new byte[] {1, 2, 3}),
                frame(BINARY, true, "ABC"), frame(PONG, true, "hi"));
        assertThrows(IndexOutOfBoundsException.class,
                () -> comm.writeRawMessage(new byte[2], 1, 2, MessageType.BINARY));
    }

    @Test
    void maxFrameLengthMustBePositiveAndAClosedStreamRefusesWrites() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> comm.writeMessage(MessageType.STRING, 0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());

        MessageOutputStream out = comm.writeMessage(MessageType.STRING, 10);
        out.close();
        out.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> out.write(1));
        transport.frames().assertNext(frame(TEXT, true, ""));
    }

    // ---------------------------------------------------------------- the write lock

    @Test
    void concurrentWritersNeverInterleaveFramesOfDifferentMessages() throws Exception {
        transport.setHook((opcode, fin, data, off, len) -> Thread.yield());
        int writers = 6;
        int messagesEach = 25;
        CountDownLatch start = new CountDownLatch(1);
        List<Background<Void>> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            byte id = (byte) w;
            threads.add(Background.start("writer-" + w, () -> {
                start.await();
                for (int m = 0; m < messagesEach; m++) {
                    if (m % 5 == 4) {
                        comm.writeBinaryMessage(new byte[] {id, id});
                        continue;
                    }
                    try (MessageOutputStream out = comm.writeMessage(MessageType.BINARY, 3)) {
                        for (int i = 0; i < 10; i++) {
                            out.write(id);
                            Thread.yield();
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Background<Void> t : threads) {
            t.get();
        }

        int messages = 0;
        Integer current = null;
        for (Frame f : transport.frames().takeAll()) {
            if (current == null) {
                assertEquals(BINARY, f.opcode(), "a message must start with its own opcode");
                current = (int) f.payload()[0];
            } else {
                assertEquals(CONT, f.opcode(), "frames of another message came between fragments");
            }
            for (byte b : f.payload()) {
                assertEquals((int) current, b, "bytes of another writer inside a message");
            }
            if (f.fin()) {
                current = null;
                messages++;
            }
        }
        assertNull(current, "the last message was not finished");
        assertEquals(writers * messagesEach, messages);
    }

    @Test
    void anotherWriterWaitsForAnOpenStreamButAPingGoesBetweenFragments() throws Exception {
        MessageOutputStream out = comm.writeMessage(MessageType.STRING, 2);
        out.write(bytes("abc")); // "ab" is sent: the stream now holds the write lock

        Background<Void> other = Background.run("other", () -> {
            comm.writeStringMessage("other");
        }).awaitParked();
        comm.ping("between");
        assertFalse(other.isDone());
        out.close();
        other.get();

        transport.frames().assertNext(frame(TEXT, false, "ab"), frame(PING, true, "between"), frame(CONT, true, "c"),
                frame(TEXT, true, "other"));
    }

    @Test
    void oneThreadCannotInterleaveTwoMessagesOfItsOwn() throws Exception {
        MessageOutputStream first = comm.writeMessage(MessageType.STRING, 1);
        first.write(bytes("ab"));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> comm.writeStringMessage("nested"));
        assertTrue(e.getMessage().contains("already writing"), e.getMessage());
        first.close();
        comm.writeStringMessage("after");
        transport.frames().assertNext(frame(TEXT, false, "a"), frame(CONT, true, "b"), frame(TEXT, true, "after"));
    }

    @Test
    void aStreamClosedByAnotherThreadReleasesTheWriteLock() throws Exception {
        MessageOutputStream out = comm.writeMessage(MessageType.STRING, 1);
        out.write(bytes("xy"));
        Background.run("closer", () -> {
            out.close();
        }).get();
        comm.writeStringMessage("next");
        transport.frames().assertNext(frame(TEXT, false, "x"), frame(CONT, true, "y"), frame(TEXT, true, "next"));
    }

    @Test
    void aFailedLaterFragmentClosesTheConnectionWith1011() throws Exception {
        transport.setHook((opcode, fin, data, off, len) -> {
            if (opcode == CONT) {
                throw new WebSocketTimeoutException("test: not writable for 30 s");
            }
        });
        MessageOutputStream out = comm.writeMessage(MessageType.BINARY, 2);
        assertThrows(WebSocketTimeoutException.class, () -> out.write(bytes("abcde")));

        transport.closes().assertNext(new Close(1011, "incomplete message"));
        assertFalse(comm.isOpen());
        out.close(); // already failed: sends nothing more
        transport.frames().assertNext(frame(BINARY, false, "ab"));
    }

    @Test
    void aFailedFirstFrameLeavesTheConnectionUsable() {
        transport.setHook((opcode, fin, data, off, len) -> {
            if (data[off] == 'X') {
                throw new WebSocketTimeoutException("test: not writable");
            }
        });
        assertThrows(WebSocketTimeoutException.class, () -> comm.writeStringMessage("X"));
        comm.writeStringMessage("fine");
        transport.closes().assertExhausted();
        transport.frames().assertNext(frame(TEXT, true, "fine"));
    }

    @Test
    void aWriterWaitingForTheLockGivesUpWhenTheConnectionCloses() throws Exception {
        MessageOutputStream out = comm.writeMessage(MessageType.STRING, 1);
        out.write(bytes("ab")); // holds the lock and is never closed
        Background<Void> waiting = Background.run("waiting", () -> {
            comm.writeStringMessage("never");
        }).awaitParked();

        comm.closed(CloseStatus.ABNORMAL);

        WebSocketClosedException e = assertThrows(WebSocketClosedException.class, waiting::get);
        assertEquals(CloseStatus.ABNORMAL, e.closeStatus());
        transport.frames().assertNext(frame(TEXT, false, "a"));
    }

    // ---------------------------------------------------------------- closed connections

    @Test
    void everyWriteOnAClosedConnectionThrowsWithTheCloseStatus() throws Exception {
        MessageOutputStream open = comm.writeMessage(MessageType.STRING, 100);
        comm.closed(new CloseStatus(1001, "bye"));

        WebSocketClosedException e =
                assertThrows(WebSocketClosedException.class, () -> comm.writeStringMessage("x"));
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("1001 \"bye\""), e.getMessage());
        assertEquals(new CloseStatus(1001, "bye"), e.closeStatus());
        assertThrows(WebSocketClosedException.class, () -> comm.writeBinaryMessage(new byte[1]));
        assertThrows(WebSocketClosedException.class, () -> comm.writeMessage());
        assertThrows(WebSocketClosedException.class, () -> comm.ping("p"));
        assertThrows(WebSocketClosedException.class, () -> open.write(1));
        transport.frames().assertExhausted();
    }

    @Test
    void writesFailAsSoonAsTheCloseFrameWasSent() {
        comm.close(4000, "going");
        transport.closes().assertNext(new Close(4000, "going"));
        assertFalse(comm.isOpen());
        assertNull(comm.closeStatus(), "still closing until the transport reports the end");
        WebSocketClosedException e =
                assertThrows(WebSocketClosedException.class, () -> comm.writeStringMessage("late"));
        assertTrue(e.getMessage().contains("closing"), e.getMessage());
        assertNull(e.closeStatus());
        transport.frames().assertExhausted();
    }

    // ---------------------------------------------------------------- control frames and close

    @Test
    void pingsAreLimitedTo125Bytes() throws Exception {
        comm.ping(new byte[125]);
        comm.ping("hello");
        IllegalArgumentException tooLong =
                assertThrows(IllegalArgumentException.class, () -> comm.ping(new byte[126]));
        assertTrue(tooLong.getMessage().contains("126") && tooLong.getMessage().contains("125"),
                tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> comm.ping("é".repeat(63)));

        MessageOutputStream stream = comm.writeMessage(MessageType.PING, 4);
        stream.write(bytes("streamed ping"));
        assertThrows(IllegalArgumentException.class, () -> stream.write(new byte[113]));
        stream.close();

        transport.frames().assertNext(new Frame(PING, true, new byte[125]), frame(PING, true, "hello"),
                frame(PING, true, "streamed ping"));
    }

    @Test
    void closeSendsTheCodeOnceAndValidatesIt() {
        assertThrows(IllegalArgumentException.class, () -> comm.close(1005, ""));
        assertThrows(IllegalArgumentException.class, () -> comm.close(999, ""));
        assertThrows(IllegalArgumentException.class, () -> comm.close(1000, "x".repeat(124)));
        assertTrue(comm.isOpen());

        comm.close(1000, "x".repeat(123));
        comm.close();
        comm.close(4000, "again");

        transport.closes().assertNext(new Close(1000, "x".repeat(123)));
    }

    @Test
    void closeWithoutArgumentsSends1000() {
        comm.close();
        transport.closes().assertNext(new Close(1000, ""));
    }

    @Test
    void aCloseStreamSendsAnEmptyCloseOrAParsedCodeAndReason() {
        comm.writeMessage(MessageType.CLOSE).close();
        transport.closes().assertNext(new Close(1005, "")); // empty payload: a Close without status

        RecordingTransport t2 = new RecordingTransport();
        QueuedCommunicator c2 = new QueuedCommunicator(t2, InboundQueueLimits.DEFAULT, new ManualExecutor());
        byte[] payload = {0x03, (byte) 0xE8, 'b', 'y', 'e'};
        c2.writeRawMessage(payload, 0, payload.length, MessageType.CLOSE);
        t2.closes().assertNext(new Close(1000, "bye"));
        t2.assertExhausted();

        QueuedCommunicator c3 = new QueuedCommunicator(new RecordingTransport());
        assertThrows(IllegalArgumentException.class,
                () -> c3.writeRawMessage(new byte[] {3}, 0, 1, MessageType.CLOSE));
        assertThrows(IllegalArgumentException.class,
                () -> c3.writeRawMessage(new byte[] {0x03, (byte) 0xED}, 0, 2, MessageType.CLOSE));
        assertThrows(IllegalArgumentException.class,
                () -> c3.writeRawMessage(new byte[] {0x03, (byte) 0xE8, (byte) 0xC3}, 0, 3, MessageType.CLOSE));
    }

    @Test
    void awaitCloseWaitsForTheTransportToReportTheEnd() throws Exception {
        comm.close();
        transport.closes().assertNext(new Close(1000, ""));
        assertNull(comm.awaitClose(Duration.ofMillis(10)));
        Background<CloseStatus> waiter = Background.start("await", comm::awaitClose).awaitParked();
        comm.closed(new CloseStatus(1000, ""));
        assertEquals(CloseStatus.NORMAL, waiter.get());
    }

    @Test
    void unwrapGivesTheCommunicatorOrTheTransportsObject() {
        assertSame(comm, comm.unwrap(QueuedCommunicator.class));
        assertSame(transport.channel, comm.unwrap(RecordingTransport.FakeChannel.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> comm.unwrap(Integer.class));
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
    }

    @Test
    void writesBlockWhileTheTransportBlocks() throws Exception {
        CountDownLatch writable = new CountDownLatch(1);
        transport.setHook((opcode, fin, data, off, len) -> {
            try {
                if (!writable.await(10, TimeUnit.SECONDS)) {
                    throw new WebSocketTimeoutException("test transport stayed unwritable");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Background<Void> writer = Background.run("writer", () -> {
            comm.writeStringMessage("slow");
        }).awaitParked();
        transport.frames().assertExhausted();
        writable.countDown();
        writer.get();
        assertArrayEquals(bytes("slow"), transport.frames().next().payload());
    }
}
