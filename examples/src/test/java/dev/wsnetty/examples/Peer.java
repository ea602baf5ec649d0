package dev.wsnetty.examples;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.netty.client.WebSocketClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A Java participant in a test chat: the library's own client, reading the texts the examples send. */
final class Peer implements AutoCloseable {
    final Communicator communicator;
    private final List<String> received = new ArrayList<>();

    private Peer(Communicator communicator) {
        this.communicator = communicator;
    }

    /** Connects to {@code url}; fails the test if the server refuses. */
    static Peer connect(String url) throws Exception {
        Communicator communicator = new WebSocketClient(URI.create(url)).connect();
        assertNotNull(communicator, "the server refused " + url);
        return new Peer(communicator);
    }

    /** This peer's own port, as servers see it. */
    int localPort() {
        return communicator.localAddress().getPort();
    }

    /**
     * Waits for a text message equal to {@code expected}; messages before it are kept in {@link #received()}.
     *
     * @return the message
     */
    String await(String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            long left = deadline - System.nanoTime();
            StringMessage message = left > 0 ? communicator.waitForStringMessage(Duration.ofNanos(left)) : null;
            if (message == null) {
                return fail("no message \"" + expected + "\" within " + timeout.toMillis() + " ms"
                        + (communicator.closeStatus() != null ? " (closed: " + communicator.closeStatus().describe() + ')' : "")
                        + "; received " + received);
            }
            received.add(message.data());
            if (Objects.equals(expected, message.data())) {
                return message.data();
            }
        }
    }

    /** The texts received so far by {@link #await}, in order. */
    List<String> received() {
        return received;
    }

    /** Waits for the connection to close and tells how. */
    CloseStatus awaitClose(Duration timeout) {
        CloseStatus status = communicator.awaitClose(timeout);
        return status != null ? status : fail("the connection did not close within " + timeout.toMillis() + " ms");
    }

    /** Closes with 1000 and waits (briefly) for the close handshake. */
    @Override
    public void close() {
        if (communicator.isOpen()) {
            communicator.close();
        }
        communicator.awaitClose(RunningExample.TIMEOUT);
    }
}
