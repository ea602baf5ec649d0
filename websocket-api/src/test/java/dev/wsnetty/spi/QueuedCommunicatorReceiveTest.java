package dev.wsnetty.spi;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageType;
import dev.wsnetty.PongMessage;
import dev.wsnetty.StringMessage;
import dev.wsnetty.UnsupportedMessageTypeException;
import dev.wsnetty.WebSocketInterruptedException;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueuedCommunicatorReceiveTest {
    @RegisterExtension
    final RecordingTransport transport = new RecordingTransport();
    private final ManualExecutor listeners = new ManualExecutor();
    private final QueuedCommunicator comm =
            new QueuedCommunicator(transport, InboundQueueLimits.DEFAULT, listeners);

    private static StringMessage str(String s) {
        return new StringMessage(s);
    }

    private static BinaryMessage bin(String s) {
        return new BinaryMessage(s.getBytes(StandardCharsets.UTF_8));
    }

    private static PongMessage pong(String s) {
        return new PongMessage(s.getBytes(StandardCharsets.UTF_8));
    }

    private List<WebSocketMessage> drain() {
        List<WebSocketMessage> all = new ArrayList<>();
        comm.getUnprocessedMessages(all);
        return all;
    }

    @Test
    void receiveMessageReturnsStringsAndBinariesInOrderAndLeavesPongsQueued() {
        comm.deliver(pong("p1"));
        comm.deliver(str("s1"));
        comm.deliver(pong("p2"));
        comm.deliver(bin("b1"));

        assertEquals(str("s1"), comm.receiveMessage());
        assertEquals(bin("b1"), comm.receiveMessage());
        assertEquals(List.of(pong("p1"), pong("p2")), drain());
    }

    @Test
    void receiveMessageBlocksUntilAStringOrBinaryArrives() throws Exception {
        Background<WebSocketMessage> receiver = Background.start("receiver", comm::receiveMessage).awaitParked();

        comm.deliver(pong("p"));
        Await.parked(receiver.thread()); // a pong does not end the wait
        assertFalse(receiver.isDone());
        comm.deliver(str("hello"));

        assertEquals(str("hello"), receiver.get());
        assertEquals(List.of(pong("p")), drain());
    }

    @Test
    void messagesDeliveredInABatchWakeTheWaiterAtTheEndOfTheBatch() throws Exception {
        Background<List<WebSocketMessage>> receiver = Background.start("receiver",
                () -> List.of(comm.receiveMessage(), comm.receiveMessage(), comm.receiveMessage())).awaitParked();

        comm.deliverInBatch(str("1"));
        comm.deliverInBatch(bin("2"));
        comm.deliverInBatch(str("3"));
        Await.parked(receiver.thread());
        assertFalse(receiver.isDone(), "not woken before the end of the batch");
        comm.endOfBatch();

        assertEquals(List.of(str("1"), bin("2"), str("3")), receiver.get());
    }

    @Test
    void aWaitThatStartsDuringABatchFindsItsMessagesAtOnce() {
        comm.deliverInBatch(pong("p"));
        comm.deliverInBatch(str("s"));

        assertEquals(str("s"), comm.receiveMessage());
        assertEquals(List.of(pong("p")), drain());
    }

    @Test
    void waitForMessageKeepsEveryOtherQueuedMessageInOrder() throws Exception {
        // The original's bug B9: three queued strings and a wait for a binary raised EListError.
        comm.deliver(str("one"));
        comm.deliver(str("two"));
        comm.deliver(str("three"));
        Background<BinaryMessage> waiter = Background.start("waiter", comm::waitForBinaryMessage).awaitParked();

        comm.deliver(bin("data"));

        assertEquals(bin("data"), waiter.get());
        assertEquals(List.of(str("one"), str("two"), str("three")), drain());
    }

    @Test
    void waitForMessageTakesOnlyTheFirstMatchFromTheMiddleOfTheQueue() {
        comm.deliver(str("s1"));
        comm.deliver(bin("b1"));
        comm.deliver(pong("p1"));
        comm.deliver(bin("b2"));

        assertEquals(bin("b1"), comm.waitForMessage(EnumSet.of(MessageType.BINARY)));
        assertEquals(pong("p1"), comm.waitForPongMessage());
        assertEquals(bin("b2"), comm.waitForMessage(EnumSet.of(MessageType.BINARY, MessageType.PONG)));
        assertEquals(List.of(str("s1")), drain());
    }

    @Test
    void waitForMessageWithDefaultTypesReturnsPongsToo() {
        comm.deliver(pong("p"));
        comm.deliver(str("s"));

        assertEquals(pong("p"), comm.waitForMessage());
        assertEquals(str("s"), comm.waitForMessage(Communicator.DEFAULT_MESSAGE_TYPES));
    }

    @Test
    void timedWaitsReturnNullWhenTheTimeIsUpAndLoseNothing() {
        comm.deliver(bin("b"));

        assertNull(comm.waitForStringMessage(Duration.ofMillis(20)));
        assertNull(comm.waitForPongMessage(Duration.ZERO));
        assertNull(comm.waitForMessage(EnumSet.of(MessageType.STRING), Duration.ofSeconds(-1)));
        assertEquals(bin("b"), comm.waitForBinaryMessage(Duration.ofMillis(20)));
        assertFalse(comm.hasMessages());
    }

    @Test
    void timedWaitReturnsAMessageThatArrivesInTime() throws Exception {
        Background<StringMessage> waiter =
                Background.start("waiter", () -> comm.waitForStringMessage(Duration.ofDays(365))).awaitParked();
        comm.deliver(str("late"));
        assertEquals(str("late"), waiter.get());
    }

    @Test
    void closeWakesEveryWaiterWithNull() throws Exception {
        Background<WebSocketMessage> receiver = Background.start("receiver", comm::receiveMessage).awaitParked();
        Background<PongMessage> pongWaiter = Background.start("pong", comm::waitForPongMessage).awaitParked();
        Background<StringMessage> timed =
                Background.start("timed", () -> comm.waitForStringMessage(Duration.ofDays(1))).awaitParked();

        comm.closed(new CloseStatus(1000, "bye"));

        assertNull(receiver.get());
        assertNull(pongWaiter.get());
        assertNull(timed.get());
    }

    @Test
    void afterCloseQueuedMessagesAreStillReturnedThenNull() {
        comm.deliver(str("last words"));
        comm.closed(CloseStatus.NORMAL);
        comm.deliver(str("ignored after close"));

        assertEquals(str("last words"), comm.waitForStringMessage());
        assertNull(comm.waitForStringMessage());
        assertNull(comm.receiveMessage());
        assertFalse(comm.hasMessages());
    }

    @Test
    void onCloseFiresExactlyOnceWithStatusAndAddressOffTheCallingThread() {
        List<String> calls = new ArrayList<>();
        Thread transportThread = Thread.currentThread();
        comm.setOnClose((c, status) -> calls.add(status.code() + "/" + status.reason() + "@" + c.remoteAddress()
                + " open=" + c.isOpen() + " status=" + c.closeStatus() + " inListener=" + c.inReceiveMessageThread()));

        comm.closed(new CloseStatus(4001, "done"));
        comm.closed(CloseStatus.ABNORMAL);
        assertTrue(calls.isEmpty(), "onClose must not run on the transport's thread");
        listeners.runAll();

        InetSocketAddress remote = transport.remote;
        assertEquals(List.of("4001/done@" + remote + " open=false status=" + new CloseStatus(4001, "done")
                + " inListener=true"), calls);
        assertEquals(new CloseStatus(4001, "done"), comm.closeStatus());
        assertFalse(comm.isOpen());
        assertSame(transportThread, Thread.currentThread());
    }

    @Test
    void closeStatusIsNullWhileOpenAndAwaitCloseReturnsIt() throws Exception {
        assertNull(comm.closeStatus());
        assertNull(comm.awaitClose(Duration.ofMillis(10)));
        Background<CloseStatus> closer = Background.start("await", comm::awaitClose).awaitParked();

        comm.closed(CloseStatus.GOING_AWAY);

        assertEquals(CloseStatus.GOING_AWAY, closer.get());
        assertEquals(CloseStatus.GOING_AWAY, comm.awaitClose(Duration.ZERO));
    }

    @Test
    void getUnprocessedMessagesMovesEverythingInOrderAndCounts() {
        assertFalse(comm.hasMessages());
        assertEquals(0, comm.getUnprocessedMessages(new ArrayList<>()));
        comm.deliver(str("a"));
        comm.deliver(pong("b"));
        comm.deliver(bin("c"));
        assertTrue(comm.hasMessages());

        List<Object> into = new ArrayList<>(List.of("already there"));
        assertEquals(3, comm.getUnprocessedMessages(into));

        assertEquals(List.of("already there", str("a"), pong("b"), bin("c")), into);
        assertFalse(comm.hasMessages());
    }

    @Test
    void getUnprocessedMessagesKeepsTheQueueWhenTheListRefuses() {
        comm.deliver(str("a"));
        assertThrows(UnsupportedOperationException.class, () -> comm.getUnprocessedMessages(List.of()));
        assertEquals(List.of(str("a")), drain());
    }

    @Test
    void waitingForPingCloseOrNothingIsRejected() {
        UnsupportedMessageTypeException ping = assertThrows(UnsupportedMessageTypeException.class,
                () -> comm.waitForMessage(EnumSet.of(MessageType.STRING, MessageType.PING)));
        assertEquals(MessageType.PING, ping.messageType());
        assertTrue(ping.getMessage().contains("PING"), ping.getMessage());
        assertThrows(UnsupportedMessageTypeException.class,
                () -> comm.waitForMessage(Set.of(MessageType.CLOSE), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> comm.waitForMessage(EnumSet.noneOf(MessageType.class)));
    }

    @Test
    void anInterruptedWaitThrowsAndKeepsTheInterruptStatus() throws Exception {
        Background<Boolean> waiter = Background.start("waiter", () -> {
            try {
                comm.waitForStringMessage();
                return false;
            } catch (WebSocketInterruptedException e) {
                return Thread.currentThread().isInterrupted();
            }
        }).awaitParked();

        waiter.thread().interrupt();

        assertTrue(waiter.get());
    }

    @Test
    void afterAWaitTheListenerIsFiredOnceIfOtherMessagesRemain() {
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> inListener = new ArrayList<>();
        comm.setOnReceiveMessage(c -> {
            calls.incrementAndGet();
            inListener.add(c.inReceiveMessageThread());
        });
        comm.deliver(str("s1"));
        comm.deliver(str("s2"));
        comm.deliver(bin("b"));

        assertEquals(bin("b"), comm.waitForBinaryMessage());
        listeners.runAll();
        assertEquals(1, calls.get());
        assertEquals(List.of(true), inListener);
        assertFalse(comm.inReceiveMessageThread());

        // Nothing left after this wait: no call.
        comm.getUnprocessedMessages(new ArrayList<>());
        comm.deliver(str("only"));
        assertEquals(str("only"), comm.waitForStringMessage());
        listeners.runAll();
        assertEquals(1, calls.get());

        // receiveMessage never fires it.
        comm.deliver(pong("p"));
        comm.deliver(str("s"));
        assertEquals(str("s"), comm.receiveMessage());
        listeners.runAll();
        assertEquals(1, calls.get());
    }

    @Test
    void addressesAndSubprotocolAreTheTransportsAndSurviveTheClose() {
        comm.closed(CloseStatus.ABNORMAL);
        assertEquals(transport.remote, comm.remoteAddress());
        assertEquals(transport.local, comm.localAddress());
        assertEquals("chat", comm.subprotocol());
        assertTrue(comm.toString().contains("closed code 1006"), comm.toString());
    }

    @Test
    void queuedMessagesCountInTheInboundMemoryAccountUntilTaken() {
        long[] held = new long[1];
        InboundMemoryAccount account = new InboundMemoryAccount() {
            @Override
            public void reserve(long bytes) {
                held[0] += bytes;
            }

            @Override
            public void release(long bytes) {
                held[0] -= bytes;
            }
        };
        QueuedCommunicator counted = new QueuedCommunicator(transport, InboundQueueLimits.DEFAULT, listeners, account);
        counted.deliver(str("12345"));
        counted.deliver(bin("abc"));
        counted.deliver(pong("pp"));
        assertEquals(10, held[0]);
        counted.receiveMessage();
        assertEquals(5, held[0]);
        counted.getUnprocessedMessages(new ArrayList<>());
        assertEquals(0, held[0]);
    }
}
