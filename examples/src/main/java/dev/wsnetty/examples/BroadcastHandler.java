package dev.wsnetty.examples;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketException;
import dev.wsnetty.WebSocketMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * The broadcast server's side of its connections, with the original's texts: everyone connected (the newcomer
 * included) is told {@code [NAME at ADDR:PORT] joined the broadcast}; each text message is relayed to all as
 * {@code [NAME at ADDR:PORT] says: text}; {@code call me X} renames the sender (announced as
 * {@code [old NAME at ADDR:PORT] Changed their name to X}); a departure is announced as
 * {@code [NAME at ADDR:PORT] left the broadcast}. Names start as {@code Anonymous}. Every broadcast is also printed
 * on the console as {@code Broadcasting: <text>}.
 *
 * <p>Fixed against the original: the port shown is the real one; a connection that is closing is sent nothing
 * (the original sent "left the broadcast" after the leaver's Close frame); a client that vanishes is just left
 * out; broadcasts are sent one at a time, so every client sees them in the same order.
 */
final class BroadcastHandler extends ThreadedWebSocketHandler {
    private static final String RENAME_COMMAND = "call me ";

    private final Console console;
    private final Object broadcastLock = new Object();

    /** A handler printing its broadcasts to {@code console}. */
    BroadcastHandler(Console console) {
        this.console = console;
    }

    @Override
    protected void prepareCommunication(Communicator communicator) {
        super.prepareCommunication(communicator);
        Participant participant = new Participant(communicator);
        // Listeners are set before dispatch starts (right after this method), so a message sent at once is not
        // missed, and "joined" goes out first: nothing of this client is relayed before it.
        communicator.setOnReceiveMessage(c -> relay(participant));
        communicator.setOnClose((c, status) -> broadcast("[" + participant.info() + "] left the broadcast"));
        broadcast("[" + participant.info() + "] joined the broadcast");
    }

    /** Keeps the connection until it closes; the listeners do the relaying. */
    @Override
    protected void doHandleCommunication(Communicator communicator) {
        communicator.awaitClose();
    }

    private void relay(Participant sender) {
        List<WebSocketMessage> messages = new ArrayList<>();
        sender.communicator.getUnprocessedMessages(messages);
        for (WebSocketMessage message : messages) {
            if (message instanceof StringMessage) {
                handleMessage(sender, ((StringMessage) message).data());
            }
        }
    }

    private void handleMessage(Participant sender, String text) {
        if (text.startsWith(RENAME_COMMAND)) {
            String newName = text.substring(RENAME_COMMAND.length());
            broadcast("[" + sender.info() + "] Changed their name to " + newName);
            sender.name = newName;
        } else {
            broadcast("[" + sender.info() + "] says: " + text);
        }
    }

    /**
     * Prints {@code Broadcasting: text} and sends {@code text} to every open connection. Thread-safe; concurrent
     * broadcasts go out one after the other.
     */
    void broadcast(String text) {
        synchronized (broadcastLock) {
            console.println("Broadcasting: " + text);
            for (Communicator communicator : connections()) {
                if (!communicator.isOpen()) {
                    continue;
                }
                try {
                    communicator.writeStringMessage(text);
                } catch (WebSocketException goneMeanwhile) {
                    // It closed (or stopped reading past the write timeout) after the check: the others still get it.
                }
            }
        }
    }

    /** One connection and the name its client chose (the original's {@code TNamedWebsocketCommunicator}). */
    private static final class Participant {
        final Communicator communicator;
        /** Written by the connection's listener calls only, which never overlap; read by its close listener. */
        volatile String name = "Anonymous";

        Participant(Communicator communicator) {
            this.communicator = communicator;
        }

        /** {@code NAME at ADDR:PORT}, the original's {@code GetInfo}. */
        String info() {
            return name + " at " + Addresses.hostAndPort(communicator.remoteAddress());
        }
    }
}
