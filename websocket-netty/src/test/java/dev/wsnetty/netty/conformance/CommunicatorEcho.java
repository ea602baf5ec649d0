package dev.wsnetty.netty.conformance;

import dev.wsnetty.BinaryMessage;
import dev.wsnetty.Communicator;
import dev.wsnetty.MessageType;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.WebSocketMessage;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Autobahn echo through the blocking API, as users write it: wait for a message, write it back (text as text,
 * binary as binary), until the connection closes. The same loop serves the blocking-API echo server and drives
 * our client through the fuzzing server's cases.
 */
final class CommunicatorEcho {
    private static final Set<MessageType> DATA = EnumSet.of(MessageType.STRING, MessageType.BINARY);

    private CommunicatorEcho() {
    }

    /** Echoes every message until the connection closes. */
    static void echoUntilClosed(Communicator communicator) {
        WebSocketMessage message;
        while ((message = communicator.waitForMessage(DATA)) != null && echo(communicator, message)) {
            // next message
        }
    }

    /**
     * Echoes every message until the connection closes or {@code limit} has passed.
     *
     * @return whether the connection closed within {@code limit} (false: it is still open)
     */
    static boolean echoUntilClosed(Communicator communicator, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        WebSocketMessage message;
        while ((message = communicator.waitForMessage(DATA, remaining(end))) != null && echo(communicator, message)) {
            // next message
        }
        return communicator.awaitClose(remaining(end)) != null;
    }

    /** Writes {@code message} back; false if the connection is closing and takes no more messages. */
    private static boolean echo(Communicator communicator, WebSocketMessage message) {
        try {
            if (message instanceof StringMessage text) {
                communicator.writeStringMessage(text.data());
            } else {
                communicator.writeBinaryMessage(((BinaryMessage) message).data());
            }
            return true;
        } catch (WebSocketClosedException closing) {
            // A Close went out first (the peer's answered, or the connection failed): nothing more is sent.
            return false;
        }
    }

    private static Duration remaining(long end) {
        return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
    }
}
