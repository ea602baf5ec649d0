package dev.wsnetty.examples;

import dev.wsnetty.CloseCodes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.wsnetty.examples.RunningExample.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The chat server driven through its console with Java clients: the original's texts for connections, messages
 * in and out and closes; fixed to serve many clients, one after the other and at once.
 */
class ChatServerTest {
    @Test
    void printsWhatClientsSendAndSendsWhatIsTyped() throws Exception {
        try (RunningExample server = RunningExample.chatServer();
             Peer client = Peer.connect(server.url("/"))) {
            CapturedLines console = server.console.out;
            console.await("Connected to 127.0.0.1", TIMEOUT);
            client.communicator.writeStringMessage("héllo wörld");
            console.await("Message from 127.0.0.1: héllo wörld", TIMEOUT);
            // Binary messages and pongs are ignored, as in the original; the next text still arrives.
            client.communicator.writeBinaryMessage("binary".getBytes(StandardCharsets.UTF_8));
            client.communicator.ping("are you there");
            client.communicator.writeStringMessage("after binary");
            console.await("Message from 127.0.0.1: after binary", TIMEOUT);

            server.console.type("from server stdin");
            client.await("from server stdin", TIMEOUT);
            console.await("Message to 127.0.0.1: from server stdin", TIMEOUT);

            client.close();
            console.await("Connection to 127.0.0.1 closed", TIMEOUT);
            assertFalse(server.hasEnded(), "the server keeps running after its client left");
        }
    }

    @Test
    void servesManyClientsAtOnceAndOneAfterTheOther() throws Exception {
        try (RunningExample server = RunningExample.chatServer()) {
            CapturedLines console = server.console.out;
            server.console.type("nobody listens");
            console.await("No client is connected; nothing sent", TIMEOUT);
            try (Peer first = Peer.connect(server.url("/"));
                 Peer second = Peer.connect(server.url("/ws"))) {
                // Typed lines go to the clients the server has taken on, so wait for both to be announced.
                console.awaitTimes("Connected to 127.0.0.1", 2, TIMEOUT);
                server.console.type("to both");
                first.await("to both", TIMEOUT);
                second.await("to both", TIMEOUT);
                console.awaitTimes("Message to 127.0.0.1: to both", 2, TIMEOUT);
            }
            console.awaitTimes("Connection to 127.0.0.1 closed", 2, TIMEOUT);
            try (Peer later = Peer.connect(server.url("/"))) {
                console.awaitTimes("Connected to 127.0.0.1", 3, TIMEOUT);
                server.console.type("still here");
                later.await("still here", TIMEOUT);
                console.await("Message to 127.0.0.1: still here", TIMEOUT);
            }
        }
    }

    @Test
    void stopClosesEveryConnectionWith1001() throws Exception {
        RunningExample server = RunningExample.chatServer();
        try (Peer client = Peer.connect(server.url("/"))) {
            server.console.out.await("Connected to 127.0.0.1", TIMEOUT);
            server.example.stop();
            assertEquals(0, server.awaitExit(TIMEOUT));
            assertEquals(CloseCodes.GOING_AWAY, client.awaitClose(TIMEOUT).code());
            server.console.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
        } finally {
            server.close();
        }
    }

    @Test
    void servesTheChatPageOnTheSamePort() throws Exception {
        try (RunningExample server = RunningExample.chatServer()) {
            BroadcastServerTest.assertPageServed(server.port());
        }
    }
}
