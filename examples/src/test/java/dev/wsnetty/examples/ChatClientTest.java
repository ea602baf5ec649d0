package dev.wsnetty.examples;

import dev.wsnetty.netty.testing.ScriptedServer;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;

import static dev.wsnetty.examples.RunningExample.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat client driven through its console against the chat server, as in the original's transcript, and
 * against servers that misbehave: it never hangs and says what went wrong.
 */
class ChatClientTest {
    private static RunningExample client(String url, Duration closeTimeout) throws UsageException {
        ScriptedConsole console = new ScriptedConsole();
        ExampleOptions options = ExampleOptions.parse(ExampleKind.CHAT_CLIENT, "--url", url);
        return RunningExample.start(new ChatClient(options, console.console, closeTimeout), console, "chat-client");
    }

    @Test
    void chatsPingsAndExitsAsInTheOriginalTranscript() throws Exception {
        try (RunningExample server = RunningExample.chatServer();
             RunningExample client = client(server.url("/"), ChatClient.DEFAULT_CLOSE_TIMEOUT)) {
            server.console.out.await("Connected to 127.0.0.1", TIMEOUT);
            client.console.type("hi server");
            server.console.out.await("Message from 127.0.0.1: hi server", TIMEOUT);
            server.console.type("hi client");
            client.console.out.await("Message from 127.0.0.1: hi client", TIMEOUT);

            client.console.type("ping hello");
            client.console.out.await("Pong from 127.0.0.1: hello", TIMEOUT);
            // The original's Substring(5): everything after the fifth character, whatever it is.
            client.console.type("pinguin");
            client.console.out.await("Pong from 127.0.0.1: in", TIMEOUT);
            client.console.type("ping");
            client.console.out.await("Pong from 127.0.0.1: ", TIMEOUT);

            client.console.type("exit");
            client.console.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
            assertEquals(0, client.awaitExit(TIMEOUT));
            server.console.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
            assertTrue(client.console.err.lines().isEmpty(), client.console.err.lines().toString());
        }
    }

    @Test
    void refusesAPingPayloadOver125Bytes() throws Exception {
        try (RunningExample server = RunningExample.chatServer();
             RunningExample client = client(server.url("/"), ChatClient.DEFAULT_CLOSE_TIMEOUT)) {
            client.console.type("ping " + "x".repeat(126));
            client.console.err.await("Ping not sent: its payload is 126 bytes, a ping carries at most 125", TIMEOUT);
            client.console.type("ping " + "y".repeat(125));
            client.console.out.await("Pong from 127.0.0.1: " + "y".repeat(125), TIMEOUT);
        }
    }

    @Test
    void endsAtOnceWhenTheServerCloses() throws Exception {
        try (RunningExample server = RunningExample.chatServer();
             RunningExample client = client(server.url("/"), ChatClient.DEFAULT_CLOSE_TIMEOUT)) {
            server.console.out.await("Connected to 127.0.0.1", TIMEOUT);
            server.example.stop();
            client.console.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
            assertEquals(0, client.awaitExit(TIMEOUT), "no further line needs to be typed");
        }
    }

    @Test
    void theEndOfTheInputClosesGracefully() throws Exception {
        try (RunningExample server = RunningExample.chatServer();
             RunningExample client = client(server.url("/"), ChatClient.DEFAULT_CLOSE_TIMEOUT)) {
            server.console.out.await("Connected to 127.0.0.1", TIMEOUT);
            client.console.input.end();
            assertEquals(0, client.awaitExit(TIMEOUT));
            client.console.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
            server.console.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
        }
    }

    @Test
    void exitNeverHangsOnAServerThatDoesNotAnswerTheClose() throws Exception {
        // Completes the handshake, then never answers, not even a Close frame.
        try (ScriptedServer silent = ScriptedServer.start(ex -> {
            ex.send(ex.switching());
            ex.awaitClientClose();
        });
             RunningExample client = client("ws://127.0.0.1:" + silent.port() + "/", Duration.ofMillis(300))) {
            client.console.type("hello?");
            client.console.type("exit");
            assertEquals(0, client.awaitExit(TIMEOUT));
            client.console.out.await("Connection to 127.0.0.1 closed", TIMEOUT);
        }
    }

    @Test
    void saysWhyTheServerRefused() throws Exception {
        try (ScriptedServer refusing = ScriptedServer.start(ex -> {
            ex.send("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 15\r\nConnection: close\r\n"
                    + "\r\nNo such route.\n");
            ex.awaitClientClose();
        })) {
            RunningExample client = client("ws://127.0.0.1:" + refusing.port() + "/chat", ChatClient.DEFAULT_CLOSE_TIMEOUT);
            assertEquals(1, client.awaitExit(TIMEOUT));
            assertEquals("The server at ws://127.0.0.1:" + refusing.port()
                    + "/chat refused the connection: 404 Not Found (No such route.)", client.console.err.lines().get(0));
        }
    }

    @Test
    void saysWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        RunningExample client = client("ws://127.0.0.1:" + port + "/", ChatClient.DEFAULT_CLOSE_TIMEOUT);
        assertEquals(1, client.awaitExit(TIMEOUT));
        client.console.err.awaitStartingWith("Cannot connect to ws://127.0.0.1:" + port + "/: ", TIMEOUT);
    }
}
