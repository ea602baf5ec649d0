package dev.wsnetty;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One WebSocket connection, as handler code sees it: a queue of received messages and blocking writes. The Java
 * form of the original's {@code TWebsocketCommunicator} (spelled {@code TWebsocketCommunincator} and
 * {@code Recieve*} in its README); server and client connections are the same type. Every method is thread-safe.
 *
 * <h2>Receiving</h2>
 * The transport reads frames (answering pings itself) and puts every string, binary and pong message into this
 * communicator's queue, in arrival order. Nothing is lost: messages stay queued until taken by
 * {@link #receiveMessage()}, a {@code waitFor*} method or {@link #getUnprocessedMessages(List)}, even after the
 * connection closed. The queue is bounded softly: when it holds too many messages or bytes, the transport stops
 * reading from the socket until it drains (see {@code dev.wsnetty.spi.InboundQueueLimits}).
 *
 * <p>There is no receiver thread per connection (the original had one): the transport is the receiver.
 * {@link #startReceiveMessageThread()} switches on <em>listener dispatch</em> instead: from then on every message
 * queued triggers the {@link ReceiveMessageListener} on the connection's listener executor, which runs one call at
 * a time per connection, on a shared pool (virtual threads on Java 21+). So code written for the original's
 * receiver thread works unchanged, and {@link #stopReceiveMessageThread()} takes effect at once.
 *
 * <h2>Writing</h2>
 * Writes block until the transport has accepted the frames; while the peer does not read, they wait (up to the
 * transport's write timeout, then {@link WebSocketTimeoutException}). Messages are written whole: a write lock,
 * fair and held from a message's first frame to its last, keeps frames of different messages from interleaving
 * when several threads write at once. Control frames (ping, pong, close) do not take the write lock and may go
 * out between the fragments of a message, as RFC 6455 §5.4 allows. Once a Close frame has been sent (by
 * {@link #close()} or by the transport), every write throws {@link WebSocketClosedException}.
 *
 * <h2>When the peer breaks the protocol</h2>
 * A bad frame (reserved bits or opcode, a broken fragment sequence, invalid UTF-8, a size limit...) fails the
 * connection, but the messages that arrived before it were valid and are queued as usual. The transport holds its
 * failing Close back until they are taken and answered: until nothing is queued and the thread that took the last
 * one waits in {@code receiveMessage}/{@code waitFor*} again, or the listener call that took it returned, for at
 * most a bound of the transport (on Netty {@code WebSocketConfig.failureDrainTimeout}, 1 s by default). What is
 * written until then goes out before the Close; nothing after the bad frame is read. Then the Close (1002, 1007,
 * ... with the transport's reason) is sent as before, later writes throw {@link WebSocketClosedException}, waits
 * return null, and {@link #closeStatus()} holds that code and reason. Closing meanwhile (returning from the
 * handler) sends that Close at once. A fragmented message cut by the bad frame was never whole and is not
 * delivered.
 *
 * <h2>Blocking and interruption</h2>
 * A thread interrupted while blocked in any method here gets a {@link WebSocketInterruptedException} with its
 * interrupt status set again. Every exception is unchecked and a {@link WebSocketException}, except argument
 * errors ({@link IllegalArgumentException}, {@link NullPointerException}) and misuse of a message stream
 * ({@link IllegalStateException}).
 */
public interface Communicator {
    /** The frame size {@link #writeMessage()} uses, as the original's default: 65535 bytes. */
    int DEFAULT_MAX_FRAME_LENGTH = 65535;


    /** The types {@link #waitForMessage()} waits for, as the original's default: STRING, BINARY and PONG. */
    Set<MessageType> DEFAULT_MESSAGE_TYPES =
            Collections.unmodifiableSet(EnumSet.of(MessageType.STRING, MessageType.BINARY, MessageType.PONG));

    // ---------------------------------------------------------------- receiving

    /**
     * Takes the first queued string or binary message, blocking until one arrives. Pongs that are queued or arrive
     * meanwhile stay in the queue, in order. While it waits, listener dispatch is held back, as in
     * {@link #waitForMessage(Set)}, but unlike that method it does not fire the listener afterwards.
     *
     * @return the message, or null once the connection has closed and no string or binary message is queued
     */
    WebSocketMessage receiveMessage();

    /**
     * Switches on listener dispatch (the original started a receiver thread here): every message queued from now
     * on triggers one {@link ReceiveMessageListener} call on the connection's listener executor. If messages are
     * already queued, one call is made for them. Calling it while dispatch is on does nothing.
     * {@link ThreadedWebSocketHandler} switches it on before {@code doHandleCommunication}.
     */
    void startReceiveMessageThread();

    /**
     * Switches listener dispatch off, at once: no further {@link ReceiveMessageListener} call starts (one that is
     * running finishes). Messages keep being queued. Unlike the original, this never throws and never waits for
     * the next frame.
     */
    void stopReceiveMessageThread();

    /** Whether listener dispatch is on and the connection has not closed. */
    boolean isReceiveMessageThreadRunning();

    /**
     * Whether the calling thread is running one of this connection's listener calls
     * ({@link ReceiveMessageListener} or {@link CloseListener}).
     */
    boolean inReceiveMessageThread();

    /** Whether any message is queued. */
    boolean hasMessages();

    /**
     * Moves every queued message, in arrival order, to the end of {@code into} and empties the queue.
     *
     * @param into the list to append to; if appending throws, the queue is left as it was
     * @return how many messages were moved (0 if none)
     */
    int getUnprocessedMessages(List<? super WebSocketMessage> into);

    /**
     * Takes the first queued message whose type is in {@code types}, blocking until one arrives or the connection
     * closes. Only that message is removed; every other queued message stays, in order (the original could lose
     * or reorder them, or fail with a list index error).
     *
     * <p>While any thread waits here, listener dispatch is held back so the listener cannot take the message being
     * waited for. Afterwards, if messages are still queued and a {@link ReceiveMessageListener} is set, it is fired
     * once, as in the original, but on the listener executor rather than the calling thread, so listener calls
     * still never overlap.
     *
     * @param types the types to wait for: a non-empty subset of STRING, BINARY, PONG
     * @return the message, or null once the connection has closed and no matching message is queued
     * @throws UnsupportedMessageTypeException if {@code types} contains PING or CLOSE
     * @throws IllegalArgumentException        if {@code types} is empty
     */
    WebSocketMessage waitForMessage(Set<MessageType> types);

    /**
     * As {@link #waitForMessage(Set)}, but waits at most {@code timeout}.
     *
     * @param types   the types to wait for: a non-empty subset of STRING, BINARY, PONG
     * @param timeout how long to wait at most; zero or negative only checks the queue
     * @return the message, or null if the time passed or the connection closed with no matching message queued
     */
    WebSocketMessage waitForMessage(Set<MessageType> types, Duration timeout);

    /** {@link #waitForMessage(Set)} for {@link #DEFAULT_MESSAGE_TYPES} (string, binary or pong). */
    default WebSocketMessage waitForMessage() {
        return waitForMessage(DEFAULT_MESSAGE_TYPES);
    }

    /** Waits for a string message as {@link #waitForMessage(Set)} does; null once closed. */
    default StringMessage waitForStringMessage() {
        return (StringMessage) waitForMessage(EnumSet.of(MessageType.STRING));
    }

    /** Waits at most {@code timeout} for a string message; null if the time passed or the connection closed. */
    default StringMessage waitForStringMessage(Duration timeout) {
        return (StringMessage) waitForMessage(EnumSet.of(MessageType.STRING), timeout);
    }

    /** Waits for a binary message as {@link #waitForMessage(Set)} does; null once closed. */
    default BinaryMessage waitForBinaryMessage() {
        return (BinaryMessage) waitForMessage(EnumSet.of(MessageType.BINARY));
    }

    /** Waits at most {@code timeout} for a binary message; null if the time passed or the connection closed. */
    default BinaryMessage waitForBinaryMessage(Duration timeout) {
        return (BinaryMessage) waitForMessage(EnumSet.of(MessageType.BINARY), timeout);
    }

    /** Waits for a pong as {@link #waitForMessage(Set)} does; null once closed. */
    default PongMessage waitForPongMessage() {
        return (PongMessage) waitForMessage(EnumSet.of(MessageType.PONG));
    }

    /** Waits at most {@code timeout} for a pong; null if the time passed or the connection closed. */
    default PongMessage waitForPongMessage(Duration timeout) {
        return (PongMessage) waitForMessage(EnumSet.of(MessageType.PONG), timeout);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Opens a stream that writes one message (the original's {@code TWebsocketMessageStream}); close it (with
     * try-with-resources) to finish the message.
     *
     * <p>For STRING and BINARY the bytes are buffered up to {@code maxFrameLength}; when more arrive than fit, the
     * full buffer goes out as a frame with FIN=0, the first with the message's opcode and the rest as continuation
     * frames. {@code close()} sends what is left with FIN=1, so a message of exactly {@code maxFrameLength} bytes
     * is one frame and an empty message is one empty frame. Fragment boundaries follow the buffer, not the
     * {@code write} calls, and {@code flush()} sends nothing. The stream takes the communicator's write lock when
     * it sends its first frame and keeps it until {@code close()}, so no other message can come in between; a
     * stream that is never closed blocks every other writer. One thread cannot have two such streams sending at
     * once ({@link IllegalStateException}). STRING bytes must be UTF-8; they are not checked here.
     *
     * <p>For PING, PONG (unsolicited) and CLOSE the stream collects a control payload of at most 125 bytes
     * (writing more throws {@link IllegalArgumentException}) and sends it as one frame on {@code close()};
     * {@code maxFrameLength} is ignored. A CLOSE payload is empty (a Close frame without status, as the original's
     * chat client sends) or a 2-byte big-endian code valid on the wire followed by a UTF-8 reason, and starts the
     * closing handshake like {@link #close(int, String)}.
     *
     * <p>If a frame other than the first cannot be sent (timeout, closed), the message can never be completed, so
     * the connection is closed with 1011.
     *
     * @param type           the message type
     * @param maxFrameLength the fragment size for STRING and BINARY, at least 1
     * @return the open stream, an {@link java.io.OutputStream} whose methods throw only unchecked exceptions
     * @throws WebSocketClosedException if the connection is already closed or closing
     */
    MessageOutputStream writeMessage(MessageType type, int maxFrameLength);

    /** {@link #writeMessage(MessageType, int)} for a STRING message with frames of 65535 bytes. */
    default MessageOutputStream writeMessage() {
        return writeMessage(MessageType.STRING, DEFAULT_MAX_FRAME_LENGTH);
    }

    /** {@link #writeMessage(MessageType, int)} with frames of 65535 bytes. */
    default MessageOutputStream writeMessage(MessageType type) {
        return writeMessage(type, DEFAULT_MAX_FRAME_LENGTH);
    }

    /**
     * Writes {@code len} bytes from {@code data} as one message in a single frame (no fragmentation, as in the
     * original). For PING and PONG the payload must be at most 125 bytes; for CLOSE it follows the rules of
     * {@link #writeMessage(MessageType, int)}. The bytes are copied or sent before this returns.
     *
     * @param data the bytes
     * @param off  where they start in {@code data}
     * @param len  how many
     * @param type the message type
     */
    void writeRawMessage(byte[] data, int off, int len, MessageType type);

    /** Sends {@code text}, UTF-8 encoded, as one text frame (unpaired surrogates become '?'). */
    default void writeStringMessage(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeRawMessage(bytes, 0, bytes.length, MessageType.STRING);
    }

    /** Sends {@code data} as one binary frame. */
    default void writeBinaryMessage(byte[] data) {
        writeRawMessage(data, 0, data.length, MessageType.BINARY);
    }

    /**
     * Sends a ping; the peer's pong arrives as a {@link PongMessage} in the queue.
     *
     * @param payload at most 125 bytes
     * @throws IllegalArgumentException if the payload is longer
     */
    default void ping(byte[] payload) {
        writeRawMessage(payload, 0, payload.length, MessageType.PING);
    }

    /** Sends a ping carrying {@code payload} as UTF-8, at most 125 bytes once encoded. */
    default void ping(String payload) {
        ping(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #close(int, String)} with 1000 (normal closure) and no reason. */
    default void close() {
        close(CloseCodes.NORMAL_CLOSURE, "");
    }

    /**
     * Starts the closing handshake: sends a Close frame with {@code code} and {@code reason} and returns at once,
     * without waiting for the peer's answer (use {@link #awaitClose(Duration)} for that). From now on
     * {@link #isOpen()} is false and writes throw; messages still arriving before the peer's Close are queued. The
     * transport closes the connection when the peer answers or after its close timeout, and then the
     * {@link CloseListener} fires. Calling it again, or after the connection closed, does nothing.
     *
     * @param code   a code valid on the wire ({@link CloseCodes#isValidOnWire(int)})
     * @param reason at most 123 bytes once UTF-8 encoded; null means none
     * @throws IllegalArgumentException if the code or the reason is not allowed
     */
    void close(int code, String reason);

    /**
     * Blocks until the connection has closed.
     *
     * @return how it closed
     */
    CloseStatus awaitClose();

    /**
     * Blocks until the connection has closed or {@code timeout} passed.
     *
     * @param timeout how long to wait at most
     * @return how it closed, or null if it is still not closed
     */
    CloseStatus awaitClose(Duration timeout);

    // ---------------------------------------------------------------- state and events

    /** Whether messages can still be written: false once a Close frame was sent or received, or the connection is gone. */
    boolean isOpen();

    /** How the connection closed, or null while it has not closed (also while the closing handshake runs). */
    CloseStatus closeStatus();

    /** The peer's address and real port; still readable after the connection closed. */
    InetSocketAddress remoteAddress();

    /** This side's address and real port; still readable after the connection closed. */
    InetSocketAddress localAddress();

    /**
     * The subprotocol agreed in the opening handshake: the {@code Sec-WebSocket-Protocol} the server answered (on
     * a server, what the handler's {@code selectSubprotocol} chose), or null when none was agreed.
     */
    String subprotocol();

    /**
     * The extensions agreed in the opening handshake, in the form of a {@code Sec-WebSocket-Extensions} header
     * with the parameters as agreed, e.g. {@code "permessage-deflate; server_no_context_takeover;
     * client_no_context_takeover"}, or {@code ""} when none was agreed. Fixed for the connection's life; still
     * readable after it closed. The default, for implementations that negotiate none, is {@code ""}.
     *
     * @return the agreed extensions, or {@code ""}
     */
    default String extensions() {
        return "";
    }

    /**
     * Sets the listener told about queued messages (see {@link #startReceiveMessageThread()} and
     * {@link #waitForMessage(Set)} for when it is called), replacing any previous one.
     *
     * @param listener the listener, or null for none
     */
    void setOnReceiveMessage(ReceiveMessageListener listener);

    /**
     * Sets the listener told once when the connection closes, replacing any previous one. It is read when the close
     * is reported, so it must be set before then; one set later is not called.
     *
     * @param listener the listener, or null for none
     */
    void setOnClose(CloseListener listener);

    /**
     * Subscribes this connection to {@code topic} of its server's {@link #topics()}: from now on it receives every
     * message published there, until {@link #unsubscribe} or the connection closes (closing unsubscribes it from
     * everything). Costs no thread and no blocking.
     *
     * @param topic the topic's name, not empty
     * @return true if it was not subscribed to {@code topic} before
     * @throws UnsupportedOperationException if this connection has no topics (a client connection)
     */
    default boolean subscribe(String topic) {
        throw new UnsupportedOperationException("this connection has no topics: they belong to a server's connections");
    }

    /**
     * Ends this connection's subscription to {@code topic}: messages published after this returns are not sent to
     * it.
     *
     * @param topic the topic's name
     * @return true if it was subscribed to {@code topic}
     * @throws UnsupportedOperationException if this connection has no topics (a client connection)
     */
    default boolean unsubscribe(String topic) {
        throw new UnsupportedOperationException("this connection has no topics: they belong to a server's connections");
    }

    /** The topics this connection is subscribed to, a snapshot; empty once it closed or if it has no topics. */
    default Set<String> subscriptions() {
        return Collections.emptySet();
    }

    /**
     * The topics of this connection's server, to publish to: {@code communicator.topics().publish("room", text)}.
     *
     * @throws UnsupportedOperationException if this connection has no topics (a client connection)
     */
    default Topics topics() {
        throw new UnsupportedOperationException("this connection has no topics: they belong to a server's connections");
    }

    /**
     * Access to what is underneath, the counterpart of the original's {@code SocketStream}: the Netty transport
     * supports {@code unwrap(io.netty.channel.Channel.class)}. Writing to the channel directly bypasses the write
     * lock and the close state; do so only if you know what the transport does.
     *
     * @param type the class wanted
     * @return this communicator if it is an instance of {@code type}, else the transport's object of that type
     * @throws IllegalArgumentException if neither provides {@code type}
     */
    <T> T unwrap(Class<T> type);
}
