package dev.wsnetty.examples;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketMessage;
import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.wsnetty.examples.RunningExample.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broadcast server driven through its console, with two Java clients: the original's texts (joined, says,
 * call me, left, the server's send), its fixes (one space after "says:", nothing sent after a close, exit stops
 * at once), and the chat page on the same port.
 */
class BroadcastServerTest {
    @Test
    void relaysJoinsMessagesRenamesAndDeparturesToEveryone() throws Exception {
        try (RunningExample server = RunningExample.broadcastServer();
             Peer alice = Peer.connect(server.url("/ws"))) {
            String a = "Anonymous at 127.0.0.1:" + alice.localPort();
            alice.await("[" + a + "] joined the broadcast", TIMEOUT);
            server.console.out.await("Broadcasting: [" + a + "] joined the broadcast", TIMEOUT);

            // The console client's path reaches the broadcast as the page's does (ExampleRoutingTest: no other).
            try (Peer bob = Peer.connect(server.url("/"))) {
                String b = "Anonymous at 127.0.0.1:" + bob.localPort();
                bob.await("[" + b + "] joined the broadcast", TIMEOUT);
                alice.await("[" + b + "] joined the broadcast", TIMEOUT);

                alice.communicator.writeStringMessage("call me Alice");
                alice.await("[" + a + "] Changed their name to Alice", TIMEOUT);
                bob.await("[" + a + "] Changed their name to Alice", TIMEOUT);

                bob.communicator.writeStringMessage("hello all");
                alice.await("[" + b + "] says: hello all", TIMEOUT);
                bob.await("[" + b + "] says: hello all", TIMEOUT);

                String alicesAddress = a.substring("Anonymous at ".length());
                alice.communicator.writeStringMessage("héllo wörld");
                bob.await("[Alice at " + alicesAddress + "] says: héllo wörld", TIMEOUT);

                // "call me " with nothing after it is an empty name, as in the original.
                bob.communicator.writeStringMessage("call me ");
                alice.await("[" + b + "] Changed their name to ", TIMEOUT);
                bob.communicator.writeStringMessage("call me Bob");
                alice.await("[ at " + b.substring("Anonymous at ".length()) + "] Changed their name to Bob", TIMEOUT);
                bob.communicator.writeStringMessage("");
                alice.await("[Bob at " + b.substring("Anonymous at ".length()) + "] says: ", TIMEOUT);

                bob.close();
                alice.await("[Bob at " + b.substring("Anonymous at ".length()) + "] left the broadcast", TIMEOUT);
                List<WebSocketMessage> queued = new ArrayList<>();
                bob.communicator.getUnprocessedMessages(queued);
                assertTrue(queued.stream().noneMatch(m -> ((StringMessage) m).data().contains("left the broadcast")),
                        "the leaver is sent nothing after its close");
            }
            server.console.out.await("Broadcasting: [" + a + "] Changed their name to Alice", TIMEOUT);
        }
    }

    @Test
    void everyClientSeesConcurrentBroadcastsInTheSameOrderAndItsOwnJoinedFirst() throws Exception {
        try (RunningExample server = RunningExample.broadcastServer();
             Peer alice = Peer.connect(server.url("/ws"))) {
            String a = "[Anonymous at 127.0.0.1:" + alice.localPort() + "]";
            alice.await(a + " joined the broadcast", TIMEOUT);
            try (Peer bob = Peer.connect(server.url("/ws"))) {
                String b = "[Anonymous at 127.0.0.1:" + bob.localPort() + "]";
                bob.await(b + " joined the broadcast", TIMEOUT);
                assertEquals(List.of(b + " joined the broadcast"), bob.received(),
                        "a newcomer's first message is its own \"joined\": it subscribes just before");
                alice.await(b + " joined the broadcast", TIMEOUT);

                // Two clients' relays (two listener threads) and the console publish at the same time.
                int perSender = 200;
                Thread bobSending = new Thread(() -> sendNumbered(bob, "b", perSender), "bob-sending");
                bobSending.start();
                sendNumbered(alice, "a", perSender);
                for (int i = 0; i < perSender; i++) {
                    server.console.type("send c" + i);
                }
                bobSending.join(TIMEOUT.toMillis());
                List<String> seenByAlice = says(alice, 3 * perSender);
                List<String> seenByBob = says(bob, 3 * perSender);
                assertEquals(seenByAlice, seenByBob, "both see the broadcasts in one order");
            }
        }
    }

    private static void sendNumbered(Peer peer, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            peer.communicator.writeStringMessage(prefix + i);
        }
    }

    /** The next {@code count} "says" broadcasts {@code peer} receives, in order. */
    private static List<String> says(Peer peer, int count) {
        List<String> says = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (says.size() < count) {
            long left = deadline - System.nanoTime();
            StringMessage message = left > 0 ? peer.communicator.waitForStringMessage(Duration.ofNanos(left)) : null;
            assertNotNull(message, "only " + says.size() + " of " + count + " broadcasts within " + TIMEOUT);
            if (message.data().contains("] says: ")) {
                says.add(message.data());
            }
        }
        return says;
    }

    @Test
    void sendBroadcastsFromTheConsoleWithOneSpace() throws Exception {
        try (RunningExample server = RunningExample.broadcastServer();
             Peer peer = Peer.connect(server.url("/ws"))) {
            peer.await("[Anonymous at 127.0.0.1:" + peer.localPort() + "] joined the broadcast", TIMEOUT);
            server.console.type("send hi");
            peer.await("[Server] says: hi", TIMEOUT);
            server.console.out.await("Broadcasting: [Server] says: hi", TIMEOUT);
            server.console.type("send  two spaces kept after the first");
            peer.await("[Server] says:  two spaces kept after the first", TIMEOUT);
            server.console.type("send");
            peer.await("[Server] says: ", TIMEOUT);
            server.console.type("shout hi");
            server.console.out.await("Unknown command \"shout\"; commands: send <text>, exit", TIMEOUT);
        }
    }

    @Test
    void exitStopsAtOnceAndClosesEveryConnectionWith1001() throws Exception {
        try (RunningExample server = RunningExample.broadcastServer();
             Peer peer = Peer.connect(server.url("/ws"))) {
            peer.await("[Anonymous at 127.0.0.1:" + peer.localPort() + "] joined the broadcast", TIMEOUT);
            server.console.type("exit");
            assertEquals(0, server.awaitExit(TIMEOUT), "exit ends the server without another connection arriving");
            assertEquals(CloseCodes.GOING_AWAY, peer.awaitClose(TIMEOUT).code());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", server.port()).close(),
                    "nothing listens any more");
        }
    }

    @Test
    void keepsServingWhenTheConsoleInputEnds() throws Exception {
        try (RunningExample server = RunningExample.broadcastServer()) {
            server.console.input.end();
            server.console.out.await("Console input ended; the server keeps running until stopped (Ctrl+C)", TIMEOUT);
            try (Peer peer = Peer.connect(server.url("/ws"))) {
                peer.await("[Anonymous at 127.0.0.1:" + peer.localPort() + "] joined the broadcast", TIMEOUT);
            }
            assertFalse(server.hasEnded());
        }
    }

    @Test
    void servesTheChatPageOnTheSamePort() throws Exception {
        try (RunningExample server = RunningExample.broadcastServer()) {
            assertPageServed(server.port());
        }
    }

    @Test
    void servesItsLiveFiguresAtStats() throws Exception {
        try (RunningExample server = RunningExample.broadcastServer()) {
            String before = get(server.port(), "/stats");
            assertTrue(before.contains("\"connectionsOpen\":0,\"connectionsOpened\":0,"), before);
            try (Peer alice = Peer.connect(server.url("/ws"))) {
                alice.await("[Anonymous at 127.0.0.1:" + alice.localPort() + "] joined the broadcast", TIMEOUT);
                alice.communicator.writeStringMessage("hello");
                alice.await("[Anonymous at 127.0.0.1:" + alice.localPort() + "] says: hello", TIMEOUT);
                String figures = get(server.port(), "/stats");
                assertTrue(figures.startsWith("HTTP/1.1 200 OK\r\n"), figures);
                assertTrue(figures.contains("\r\ncontent-type: application/json\r\n"), figures);
                assertTrue(figures.contains("{\"connectionsOpen\":1,\"connectionsOpened\":1,"
                        + "\"handshakesAccepted\":1,\"handshakesRefused\":{},\"messagesIn\":1,\"bytesIn\":5,"
                        + "\"messagesOut\":2,"), figures);
                assertTrue(figures.contains("\"topicSubscriptions\":1,"), figures);
            }
            Await.until("the close counted on /stats", () -> {
                String figures = get(server.port(), "/stats");
                return figures.contains("\"connectionsOpen\":0,")
                        && figures.contains("\"closeCodesReceived\":{\"1000\":1}");
            });
        }
    }

    /** The answer to a GET of {@code path} on a fresh connection, head and body. */
    private static String get(int port, String path) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void reportsAPortInUse() throws Exception {
        try (RunningExample first = RunningExample.broadcastServer()) {
            ScriptedConsole console = new ScriptedConsole();
            BroadcastServer second = new BroadcastServer(
                    ExampleOptions.parse(ExampleKind.BROADCAST_SERVER, "--host", "127.0.0.1", "--port",
                            String.valueOf(first.port())), console.console);
            assertEquals(1, second.run());
            console.err.awaitStartingWith("Broadcast server: cannot listen on ", TIMEOUT);
        }
    }

    /** GET / on a fresh connection gets the chat page, complete and with its length. */
    static void assertPageServed(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            byte[] page = ChatPageHandler.page();
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.contains("\r\ncontent-type: text/html; charset=utf-8\r\n"), response);
            assertTrue(response.contains("\r\ncontent-length: " + page.length + "\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n" + new String(page, java.nio.charset.StandardCharsets.UTF_8)), response);
        }
    }
}
