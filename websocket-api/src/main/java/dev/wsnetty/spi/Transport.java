package dev.wsnetty.spi;

import java.net.InetSocketAddress;

/**
 * What a transport provides for one connection so that a {@link QueuedCommunicator} can run on it. The transport
 * also drives the communicator: it calls {@link QueuedCommunicator#deliver} for every received message and
 * {@link QueuedCommunicator#closed} once when the connection is gone.
 *
 * <p>The transport owns the protocol: it answers pings, runs the closing handshake and its timeout, and never
 * lets a data frame follow a Close frame it sent. Every method may be called from any thread, several at once
 * (control frames are not serialised with data messages).
 */
public interface Transport {
    /**
     * Sends one frame, blocking until the transport has accepted it (queued it for the socket). While the
     * connection is not writable (the peer reads slowly) it waits, at most the transport's write timeout. The
     * caller may reuse {@code data} as soon as this returns.
     *
     * <p>Data frames (text, binary, continuation) arrive one message at a time, in order: the communicator's write
     * lock guarantees it. Control frames (ping, pong) have at most 125 bytes, FIN set, and may come between the
     * fragments of a message.
     *
     * @param opcode {@link dev.wsnetty.WebSocketProtocol#OPCODE_CONTINUATION}, or the opcode of STRING, BINARY, PING or PONG
     * @param fin    whether this is the last frame of the message
     * @param data   the payload source
     * @param off    where the payload starts
     * @param len    the payload length
     * @throws dev.wsnetty.WebSocketClosedException      if a Close frame was sent or the connection is gone
     * @throws dev.wsnetty.WebSocketTimeoutException     if it stayed unwritable longer than the write timeout
     * @throws dev.wsnetty.WebSocketInterruptedException if the waiting thread was interrupted
     * @throws dev.wsnetty.WebSocketException            for any other failure to send
     */
    void sendFrame(int opcode, boolean fin, byte[] data, int off, int len);

    /**
     * Starts the closing handshake with a Close frame, without blocking; called at most once per connection.
     * From now on {@link #sendFrame} refuses data frames. The transport later calls
     * {@link QueuedCommunicator#closed} (when the peer answered or the close timeout passed).
     *
     * @param code   a code valid on the wire, or {@link dev.wsnetty.CloseCodes#NO_STATUS_RECEIVED} (1005) for a
     *               Close frame with an empty payload
     * @param reason the reason, at most 123 UTF-8 bytes, "" for none (always "" with 1005)
     */
    void sendClose(int code, String reason);

    /**
     * Pauses ({@code false}) or resumes ({@code true}) reading from the socket: backpressure from the inbound
     * queue (see {@link InboundQueueLimits}). Reading is on when the connection starts. Must not block. The
     * communicator calls it with its queue lock held, so calls arrive in the order the decisions were made; a
     * message delivered while paused (already decoded) is still accepted.
     *
     * @param on whether to read
     */
    void setReading(boolean on);

    /** The peer's address with its real port. Read once, when the communicator is created. */
    InetSocketAddress remoteAddress();

    /** This side's address with its real port. Read once, when the communicator is created. */
    InetSocketAddress localAddress();

    /** The subprotocol agreed in the opening handshake, or null when none was. */
    String subprotocol();

    /**
     * The extensions agreed in the opening handshake as a {@code Sec-WebSocket-Extensions} value, or "" when none
     * were; "" unless the transport knows better.
     */
    default String extensions() {
        return "";
    }

    /** Whether data can still be sent: false once a Close frame was sent or received, or the connection is gone. */
    boolean isOpen();

    /**
     * The topics this connection can subscribe to (its server's), or null when it has none: then the communicator's
     * {@code subscribe}, {@code unsubscribe} and {@code topics} throw {@link UnsupportedOperationException}.
     */
    default TopicMembership topicMembership() {
        return null;
    }

    /**
     * The transport's object of the given type (e.g. the Netty channel), or null if it has none.
     *
     * @param type the class wanted
     */
    <T> T unwrap(Class<T> type);
}
