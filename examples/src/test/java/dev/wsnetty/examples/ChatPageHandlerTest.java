package dev.wsnetty.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat page handler behind Netty's HTTP codec: raw request bytes in, exact response bytes out. */
class ChatPageHandlerTest {
    private static final String PAGE = new String(ChatPageHandler.page(), StandardCharsets.UTF_8);
    private static final String PAGE_HEAD = "HTTP/1.1 200 OK\r\n"
            + "content-type: text/html; charset=utf-8\r\n"
            + "content-length: " + ChatPageHandler.page().length + "\r\n"
            + "cache-control: no-cache\r\n\r\n";

    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new ChatPageHandler());

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private String exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        StringBuilder response = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            response.append(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        return response.toString();
    }

    @Test
    void servesThePageAtTheRootAndByNameAndKeepsTheConnection() {
        assertTrue(PAGE.contains("new WebSocket(wsAddr)"), "the page is the chat client");
        assertEquals(PAGE_HEAD + PAGE, exchange("GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n"));
        assertEquals(PAGE_HEAD + PAGE, exchange("GET /chatClient.html?v=2 HTTP/1.1\r\nHost: localhost:8080\r\n\r\n"));
        assertTrue(channel.isOpen(), "HTTP/1.1 keeps the connection by default");
    }

    @Test
    void answersHeadWithTheHeadersAlone() {
        assertEquals(PAGE_HEAD, exchange("HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        assertEquals(PAGE_HEAD + PAGE, exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        assertTrue(channel.isOpen());
    }

    @Test
    void answers404ForOtherPaths() {
        assertEquals("HTTP/1.1 404 Not Found\r\n"
                + "content-type: text/plain; charset=utf-8\r\n"
                + "content-length: 24\r\n\r\n"
                + "Not found: /favicon.ico\n", exchange("GET /favicon.ico HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        assertTrue(channel.isOpen());
    }

    @Test
    void answers405ForOtherMethodsAfterTheirBody() {
        assertEquals("", exchange("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\nhel"));
        assertEquals("HTTP/1.1 405 Method Not Allowed\r\n"
                + "content-type: text/plain; charset=utf-8\r\n"
                + "content-length: 25\r\n"
                + "allow: GET, HEAD\r\n\r\n"
                + "Method not allowed: POST\n", exchange("lo!"));
        assertEquals(PAGE_HEAD + PAGE, exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    }

    @Test
    void closesWhenTheClientAsksTo() {
        String response = exchange("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals(PAGE_HEAD.replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n") + PAGE, response);
        assertFalse(channel.isOpen());
    }

    @Test
    void speaksHttp10KeepAliveOnlyWhenAsked() {
        String head10 = PAGE_HEAD.replace("HTTP/1.1", "HTTP/1.0");
        assertEquals(head10.replace("\r\n\r\n", "\r\nconnection: keep-alive\r\n\r\n") + PAGE,
                exchange("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        assertTrue(channel.isOpen());
        assertEquals(head10 + PAGE, exchange("GET / HTTP/1.0\r\n\r\n"));
        assertFalse(channel.isOpen(), "HTTP/1.0 closes by default");
    }

    @Test
    void answersPipelinedRequestsInOrder() {
        String response = exchange("GET /nope HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 404 Not Found\r\n"), response);
        assertTrue(response.endsWith("Not found: /nope\n" + PAGE_HEAD), response);
    }

    @Test
    void findsThePathOfARequestTarget() {
        assertEquals("/", ChatPageHandler.pathOf("/?x=1"));
        assertEquals("/chatClient.html", ChatPageHandler.pathOf("/chatClient.html#top"));
        assertEquals("/chatClient.html", ChatPageHandler.pathOf("http://localhost:8080/chatClient.html?a"));
        assertEquals("/", ChatPageHandler.pathOf("http://localhost:8080"));
    }
}
