package dev.wsnetty.examples;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.Topics;
import dev.wsnetty.WebSocketMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The broadcast server's side of its connections, with the original's texts: everyone connected (the newcomer
 * included) is told {@code [NAME at ADDR:PORT] joined the broadcast}; each text message is relayed to all as
 * {@code [NAME at ADDR:PORT] says: text}; {@code call me X} renames the sender (announced as
 * {@code [old NAME at ADDR:PORT] Changed their name to X}); a departure is announced as
 * {@code [NAME at ADDR:PORT] left the broadcast}. Names start as {@code Anonymous}. Every broadcast is also printed
 * on the console as {@code Broadcasting: <text>}.
 *
 * <p>Every participant subscribes to one topic, {@value #TOPIC}, and a broadcast is one
 * {@link Topics#publish publish} there: the message is encoded once and written on each connection's I/O thread,
 * and publishing never waits for a client. A client that stops reading is closed by the server's slow-subscriber
 * policy (1013 once 1 MiB is queued for it, by default) while the others keep chatting; the original wrote to
 * each client in turn, under a lock, with blocking writes, so one such client froze everyone.
 *
 * <p>A topic rather than {@code publishToAll}: a connection joins the topic just before its own "joined"
 * broadcast, so that is the first line it gets, and the broadcast reaches this handler's participants only,
 * whatever else the server serves.
 *
 * <p>Order: topics keep each publisher's order, and broadcasts come from many threads (each connection's
 * listener, the console), so the publish calls take turns under a lock: every client sees the broadcasts in the
 * same order. The lock covers the publish call only, which encodes and queues and never blocks. A client's
 * "joined" is published before its messages are relayed, so nothing of it reaches anyone before its "joined".
 *
 * <p>Fixed against the original: the port shown is the real one; a connection that is closing is sent nothing
 * (the original sent "left the broadcast" after the leaver's Close frame); a client that vanishes or stops
 * reading is just left out.
 */
final class BroadcastHandler extends ThreadedWebSocketHandler {
    /** The topic every participant subscribes to. */
    static final String TOPIC = "broadcast";
    private static final String RENAME_COMMAND = "call me ";

    private final Console console;
    private final Topics topics;
    /** Held only around {@link Topics#publish}: broadcasts from different threads go out in one order. */
    private final Object publishLock = new Object();

    /**
     * A handler broadcasting on {@code topics} and printing its broadcasts to {@code console}.
     *
     * @param console where {@code Broadcasting: <text>} goes
     * @param topics  the server's topics, the ones its connections subscribe to
     */
    BroadcastHandler(Console console, Topics topics) {
        this.console = Objects.requireNonNull(console, "console");
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    @Override
    protected void prepareCommunication(Communicator communicator) {
        super.prepareCommunication(communicator);
        Participant participant = new Participant(communicator);
        // Listeners are set before dispatch starts (right after this method), so a message sent at once is not
        // missed, and "joined" goes out first: nothing of this client is relayed before it. Subscribed before
        // "joined" is published, the newcomer gets it too.
        communicator.setOnReceiveMessage(c -> relay(participant));
        communicator.setOnClose((c, status) -> {
            c.unsubscribe(TOPIC); // the leaver is sent nothing more, its own "left" included
            broadcast("[" + participant.info() + "] left the broadcast");
        });
        communicator.subscribe(TOPIC);
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
     * Prints {@code Broadcasting: text} and publishes {@code text} to every participant. Thread-safe and never
     * waits for a client; concurrent broadcasts reach every client in the same order.
     */
    void broadcast(String text) {
        console.println("Broadcasting: " + text);
        synchronized (publishLock) {
            topics.publish(TOPIC, text);
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
