package dev.wsnetty.examples;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketException;
import dev.wsnetty.WebSocketMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * The chat server's side of its connections: prints who connects, what each client sends and when it leaves,
 * with the original's texts ({@code Connected to ADDR}, {@code Message from ADDR: text},
 * {@code Connection to ADDR closed}), and sends typed lines to every client ({@code Message to ADDR: text}).
 * Binary messages and pongs are ignored, as in the original.
 */
final class ChatHandler extends ThreadedWebSocketHandler {
    private final Console console;

    /** A handler printing to {@code console}. */
    ChatHandler(Console console) {
        this.console = console;
    }

    @Override
    protected void prepareCommunication(Communicator communicator) {
        super.prepareCommunication(communicator);
        String address = Addresses.host(communicator.remoteAddress());
        console.println("Connected to " + address);
        // Set here, before listener dispatch starts, so that nothing the client sends at once is missed.
        communicator.setOnReceiveMessage(this::printMessages);
        communicator.setOnClose((closed, status) -> console.println("Connection to " + address + " closed"));
    }

    /** Keeps the connection until it closes; the listeners do the talking. */
    @Override
    protected void doHandleCommunication(Communicator communicator) {
        communicator.awaitClose();
    }

    private void printMessages(Communicator communicator) {
        List<WebSocketMessage> messages = new ArrayList<>();
        communicator.getUnprocessedMessages(messages);
        String address = Addresses.host(communicator.remoteAddress());
        for (WebSocketMessage message : messages) {
            if (message instanceof StringMessage) {
                console.println("Message from " + address + ": " + ((StringMessage) message).data());
            }
        }
    }

    /**
     * Sends {@code text} to every open connection and prints {@code Message to ADDR: text} for each one it went
     * to. A connection closing meanwhile is skipped (the original wrote after the close).
     *
     * @return how many clients it was sent to
     */
    int sendToAll(String text) {
        int sent = 0;
        for (Communicator communicator : connections()) {
            if (!communicator.isOpen()) {
                continue;
            }
            try {
                communicator.writeStringMessage(text);
            } catch (WebSocketException closedMeanwhile) {
                continue;
            }
            console.println("Message to " + Addresses.host(communicator.remoteAddress()) + ": " + text);
            sent++;
        }
        return sent;
    }
}
