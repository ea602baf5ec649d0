package dev.wsnetty.netty.client;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.adapter.CommunicatorConfig;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WebSocketClient}'s constructors, URI forms and setters, without connecting. */
class WebSocketClientSettingsTest {
    @Test
    void hostConstructorsDefaultToPort80AndRootPath() {
        WebSocketClient client = new WebSocketClient("example.com");
        assertEquals("example.com", client.getHost());
        assertEquals(80, client.getPort());
        assertEquals("/", client.getPath());
        assertFalse(client.isSecure());
        assertEquals(URI.create("ws://example.com:80/"), client.getUri());

        WebSocketClient withPort = new WebSocketClient("example.com", 8080);
        assertEquals(8080, withPort.getPort());
        assertEquals("/", withPort.getPath());
        assertEquals(URI.create("ws://example.com:8080/"), withPort.getUri());

        WebSocketClient withPath = new WebSocketClient("example.com", 8080, "/chat?room=1");
        assertEquals("/chat?room=1", withPath.getPath());
        assertEquals(URI.create("ws://example.com:8080/chat?room=1"), withPath.getUri());
        assertEquals("WebSocketClient[ws://example.com:8080/chat?room=1]", withPath.toString());
    }

    @Test
    void propertiesAreSettable() {
        WebSocketClient client = new WebSocketClient("example.com");
        client.setHost("[::1]");
        client.setPort(9000);
        client.setPath("");
        client.setSecure(true);
        assertEquals("::1", client.getHost());
        assertEquals(9000, client.getPort());
        assertEquals("/", client.getPath());
        assertTrue(client.isSecure());
        assertEquals(URI.create("wss://[::1]:9000/"), client.getUri());
    }

    @Test
    void uriFormsPickPortPathQueryAndTls() {
        WebSocketClient ws = WebSocketClient.of("ws://example.com");
        assertEquals(80, ws.getPort());
        assertEquals("/", ws.getPath());
        assertFalse(ws.isSecure());

        WebSocketClient wss = WebSocketClient.of("wss://example.com/feed?since=10&x=%C3%A9");
        assertEquals("example.com", wss.getHost());
        assertEquals(443, wss.getPort());
        assertEquals("/feed?since=10&x=%C3%A9", wss.getPath());
        assertTrue(wss.isSecure());

        WebSocketClient explicit = new WebSocketClient(URI.create("WSS://[2001:db8::1]:8443/a/b"));
        assertEquals("2001:db8::1", explicit.getHost());
        assertEquals(8443, explicit.getPort());
        assertEquals("/a/b", explicit.getPath());
        assertTrue(explicit.isSecure());

        // Non-ASCII characters are percent-encoded for the request line.
        assertEquals("/caf%C3%A9?q=%C3%BC", new WebSocketClient(URI.create("ws://h/caf\u00e9?q=\u00fc")).getPath());
    }

    @Test
    void badUrisAreRejectedWithAReason() {
        assertMessage("unsupported scheme 'http' in http://example.com/: use ws:// or wss://",
                () -> WebSocketClient.of("http://example.com/"));
        assertMessage("URI ws:///path has no (valid) host", () -> WebSocketClient.of("ws:///path"));
        assertMessage("URI ws://user@example.com/ has user info, which WebSocket URIs cannot carry",
                () -> WebSocketClient.of("ws://user@example.com/"));
        assertMessage("URI ws://example.com/#top has a fragment, which WebSocket URIs must not have",
                () -> WebSocketClient.of("ws://example.com/#top"));
        assertThrows(IllegalArgumentException.class, () -> WebSocketClient.of("ws://exa mple.com/"));
    }

    @Test
    void badPropertiesAreRejectedWithAReason() {
        assertMessage("port must be between 1 and 65535, was 0", () -> new WebSocketClient("h", 0));
        assertMessage("port must be between 1 and 65535, was 65536", () -> new WebSocketClient("h").setPort(65536));
        assertMessage("host must not be empty", () -> new WebSocketClient(""));
        assertMessage("host 'a/b' contains an invalid character at index 1", () -> new WebSocketClient("a/b"));
        assertMessage("path must start with '/', was 'chat'", () -> new WebSocketClient("h", 80, "chat"));
        assertMessage("path '/a b' has a space, control, '#' or non-ASCII character at index 2: percent-encode it",
                () -> new WebSocketClient("h").setPath("/a b"));
        assertMessage("subprotocol 'a b' is not a valid HTTP token", () -> new WebSocketClient("h").setSubprotocols("a b"));
        assertMessage("subprotocol 'chat' is offered twice",
                () -> new WebSocketClient("h").setSubprotocols("chat", "chat"));
        assertMessage("origin must not be empty", () -> new WebSocketClient("h").setOrigin(""));
        assertMessage("connect timeout must be positive and below 24 days, was PT0S",
                () -> new WebSocketClient("h").setConnectTimeout(Duration.ZERO));
    }

    @Test
    void optionsHaveDefaultsAndAreKept() {
        WebSocketClient client = new WebSocketClient("h");
        assertEquals(List.of(), client.getSubprotocols());
        assertNull(client.getOrigin());
        assertSame(WebSocketConfig.DEFAULT, client.getConfig());
        assertSame(CommunicatorConfig.DEFAULT, client.getCommunicatorSettings());
        assertEquals(ClientConnector.DEFAULT_CONNECT_TIMEOUT, client.getConnectTimeout());
        assertNull(client.getEventLoopGroup());
        assertTrue(client.customHeaders().isEmpty());

        client.setSubprotocols("v2.chat", "v1.chat");
        client.setOrigin("https://example.com");
        WebSocketConfig config = WebSocketConfig.builder().maxSize(4096).build();
        client.setConfig(config);
        client.setHandshakeTimeout(Duration.ofSeconds(3));
        CommunicatorConfig settings = CommunicatorConfig.builder().writeTimeout(Duration.ofSeconds(2)).build();
        client.setCommunicatorConfig(settings);
        client.setConnectTimeout(Duration.ofMillis(1500));
        client.customHeaders().put("B", "2");
        client.customHeaders().put("A", "1");

        assertEquals(List.of("v2.chat", "v1.chat"), client.getSubprotocols());
        assertEquals("https://example.com", client.getOrigin());
        assertEquals(4096, client.getConfig().maxMessageSize());
        assertEquals(Duration.ofSeconds(3), client.getConfig().handshakeTimeout());
        assertSame(settings, client.getCommunicatorSettings());
        assertEquals(Duration.ofMillis(1500), client.getConnectTimeout());
        assertEquals(List.of("B", "A"), List.copyOf(client.customHeaders().keySet()));
        client.setOrigin(null);
        assertNull(client.getOrigin());
    }

    @Test
    void ownEventLoopGroupIsKeptAndItsChannelTypeTold() {
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup local = new DefaultEventLoopGroup(1);
        try {
            WebSocketClient client = new WebSocketClient("h");
            client.setEventLoopGroup(nio);
            assertSame(nio, client.getEventLoopGroup());
            assertSame(NioSocketChannel.class, ClientEventLoops.channelTypeFor(nio));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.setEventLoopGroup(local));
            assertTrue(e.getMessage().startsWith("cannot tell the socket channel type for "
                    + DefaultEventLoopGroup.class.getName()), e.getMessage());
            assertSame(nio, client.getEventLoopGroup(), "a rejected group changes nothing");
            client.setEventLoopGroup(null);
            assertNull(client.getEventLoopGroup());
            assertThrows(NullPointerException.class, () -> client.setEventLoopGroup(local, null));
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            local.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertEquals(expected, e.getMessage());
    }
}
