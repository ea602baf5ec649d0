package dev.wsnetty.examples;

import dev.wsnetty.CloseCodes;
import org.junit.jupiter.api.Test;

import static dev.wsnetty.examples.RunningExample.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The examples as processes, as a person runs them from the jar: typed into through stdin, read through stdout,
 * and they end (the JVM exits) when told to.
 */
class ExampleProcessTest {
    @Test
    void broadcastServerSendsAndExitsAtOnce() throws Exception {
        try (ExampleProcess server = ExampleProcess.start("broadcast-server", "--host", "127.0.0.1", "--port", "0")) {
            String banner = server.out.awaitStartingWith("Broadcast server listening on 127.0.0.1:", TIMEOUT);
            int port = Integer.parseInt(banner.substring(banner.lastIndexOf(':') + 1));
            server.out.await("Chat page: http://127.0.0.1:" + port + "/ (WebSocket endpoint ws://127.0.0.1:" + port
                    + "/ws)", TIMEOUT);
            try (Peer peer = Peer.connect("ws://127.0.0.1:" + port + "/ws")) {
                peer.await("[Anonymous at 127.0.0.1:" + peer.localPort() + "] joined the broadcast", TIMEOUT);
                server.type("send hi");
                peer.await("[Server] says: hi", TIMEOUT);
                server.out.await("Broadcasting: [Server] says: hi", TIMEOUT);
                server.type("exit");
                assertEquals(0, server.awaitExit(TIMEOUT));
                assertEquals(CloseCodes.GOING_AWAY, peer.awaitClose(TIMEOUT).code());
            }
        }
    }

    @Test
    void broadcastServerSendsGoingAwayWhenTerminated() throws Exception {
        try (ExampleProcess server = ExampleProcess.start("broadcast-server", "--host", "127.0.0.1", "--port", "0")) {
            String banner = server.out.awaitStartingWith("Broadcast server listening on 127.0.0.1:", TIMEOUT);
            int port = Integer.parseInt(banner.substring(banner.lastIndexOf(':') + 1));
            try (Peer peer = Peer.connect("ws://127.0.0.1:" + port + "/ws")) {
                peer.await("[Anonymous at 127.0.0.1:" + peer.localPort() + "] joined the broadcast", TIMEOUT);
                server.terminate();
                assertEquals(CloseCodes.GOING_AWAY, peer.awaitClose(TIMEOUT).code());
                server.awaitExit(TIMEOUT);
            }
        }
    }

    @Test
    void chatClientPingsAndExitsGracefully() throws Exception {
        try (RunningExample server = RunningExample.chatServer();
             ExampleProcess client = ExampleProcess.start("chat-client", "--url", server.url("/"))) {
            server.console.out.await("Connected to 127.0.0.1", TIMEOUT);
            client.type("ping hello");
            client.out.await("Pong from 127.0.0.1: hello", TIMEOUT);
            client.type("héllo wörld");
            server.console.out.await("Message from 127.0.0.1: héllo wörld", TIMEOUT);
            client.type("exit");
            client.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
            assertEquals(0, client.awaitExit(TIMEOUT));
            server.console.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
        }
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        try (ExampleProcess process = ExampleProcess.start("chat-server", "--port", "nope")) {
            assertEquals(2, process.awaitExit(TIMEOUT));
            process.err.await("Error: --port needs a number from 0 to 65535, got \"nope\"", TIMEOUT);
        }
    }
}
