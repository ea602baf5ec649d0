package dev.wsnetty.netty.server;

import dev.wsnetty.Communicator;
import dev.wsnetty.StringMessage;
import dev.wsnetty.ThreadedWebSocketHandler;
import dev.wsnetty.WebSocketMessage;

import java.io.IOException;

/**
 * The server of {@link InboundMemoryBudgetAttackTest}, run in a child JVM with little memory: a
 * {@link WebSocketServer} with its defaults and the README's echo handler. Prints {@code PORT <n>} once it listens
 * and stops when its standard input ends.
 */
public final class BudgetAttackServerMain {
    private BudgetAttackServerMain() {
    }

    /** Runs the server until standard input ends. */
    public static void main(String[] args) throws IOException {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.registerHandler("*", "*", new ThreadedWebSocketHandler() {
            @Override
            protected void doHandleCommunication(Communicator c) {
                WebSocketMessage m;
                while ((m = c.waitForMessage()) != null) {
                    if (m instanceof StringMessage) {
                        c.writeStringMessage(((StringMessage) m).data());
                    }
                }
            }
        }, true, true);
        server.bind();
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to close our input
        }
        server.stop();
    }
}
