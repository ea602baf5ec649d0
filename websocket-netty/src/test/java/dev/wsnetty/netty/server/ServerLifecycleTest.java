package dev.wsnetty.netty.server;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.Communicator;
import dev.wsnetty.RequestData;
import dev.wsnetty.ResponseHeaders;
import dev.wsnetty.StringMessage;
import dev.wsnetty.WebSocketHandler;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.WebSocketClient;
import dev.wsnetty.netty.testing.HandlerKind;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.UpgradeRequest;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binding, starting and stopping a {@link WebSocketServer}, routing, handler ownership and accepting methods. */
class ServerLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void bindOnPortZeroListensOnARealPort() {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        assertFalse(server.isRunning());
        server.bind();
        try {
            assertTrue(server.isRunning());
            assertTrue(server.port() > 0);
            assertThrows(IllegalStateException.class, server::bind);
            assertThrows(IllegalStateException.class, () -> server.setAcceptingMethod(AcceptingMethod.THREADED));
            assertThrows(IllegalStateException.class, () -> server.setConfig(WebSocketConfig.DEFAULT));
        } finally {
            server.stop();
        }
        assertFalse(server.isRunning());
    }

    @Test
    void startBlocksUntilStopIsCalledFromAnotherThread() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        Thread starter = new Thread(server::start, "starter");
        starter.start();
        Await.until("the server runs", server::isRunning);
        Await.parked(starter);
        assertTrue(starter.isAlive(), "start() returned while the server was running");

        server.stop();
        starter.join(WAIT.toMillis());
        assertFalse(starter.isAlive(), "start() did not return after stop()");
        Await.until("the event loop threads are gone", () -> liveThreads("wsnetty-server").isEmpty());
    }

    @Test
    void startAfterBindBlocksOnTheBoundServerAndAStoppedServerCannotStart() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.bind();
        int port = server.port();
        Thread starter = new Thread(server::start, "starter");
        starter.start();
        Await.parked(starter);
        assertTrue(starter.isAlive(), "start() after bind() returned while the server was running");
        assertEquals(port, server.port());

        server.stop();
        starter.join(WAIT.toMillis());
        assertFalse(starter.isAlive(), "start() did not return after stop()");
        assertThrows(IllegalStateException.class, server::start);
    }

    @Test
    void stopFromAHandlerThreadClosesThatConnectionWith1001AndStartReturns() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.registerHandler("*", "*", HandlerKind.PLAIN.create(c -> {
            if (c.waitForStringMessage() != null) {
                server.stop();
            }
        }), true, true);
        Thread starter = new Thread(server::start, "starter");
        starter.start();
        Await.until("the server runs", server::isRunning);
        try (RawClient client = RawClient.upgrade(server.port(), "/")) {
            client.sendText("stop");
            WireFrame close = client.readFrame();
            assertEquals(1001, close.closeCode());
            assertEquals("Server shutting down", close.closeReason());
            client.sendClose(1001, "");
            client.expectEndOfStream();
        }
        starter.join(WAIT.toMillis());
        assertFalse(starter.isAlive(), "start() did not return after stop() from a handler");
    }

    @Test
    void stopClosesEveryConnectionWith1001EvenWhenAPeerDoesNotAnswer() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setConfig(WebSocketConfig.builder().closeTimeout(Duration.ofMillis(500)).build());
        EventRecorder<CloseStatus> closed = new EventRecorder<>("handler's close");
        server.registerHandler("*", "*", HandlerKind.THREADED.create(c -> closed.record(c.awaitClose())), true, true);
        server.bind();
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(RawClient.upgrade(server.port(), "/"));
        }
        Socket stillInHandshake = new Socket();
        stillInHandshake.connect(new InetSocketAddress("127.0.0.1", server.port()));
        stillInHandshake.setSoTimeout(10_000);
        Await.until("all four connections are open", () -> server.connectionCount() == 4);

        Thread stopper = new Thread(server::stop, "stopper");
        stopper.start();
        for (int i = 0; i < clients.size(); i++) {
            WireFrame close = clients.get(i).readFrame();
            assertEquals(1001, close.closeCode());
            if (i < 2) {
                clients.get(i).sendClose(1001, "");
            } // the third never answers: stop() closes it after the close timeout
        }
        for (RawClient client : clients) {
            client.expectEndOfStream();
            client.close();
        }
        assertEquals(-1, stillInHandshake.getInputStream().read());
        stillInHandshake.close();
        stopper.join(WAIT.toMillis());
        assertFalse(stopper.isAlive(), "stop() did not return");
        for (int i = 0; i < 3; i++) {
            closed.next(); // every handler saw its connection close
        }
        closed.assertExhausted();
        assertEquals(0, server.connectionCount());
        Await.until("the event loop threads are gone", () -> liveThreads("wsnetty-server").isEmpty());
    }

    @Test
    void routesByHostAndPathWithDefaults() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.bind();
        try {
            String host = "localhost:" + server.port();
            server.registerHandler(host, "/a", namedHandler("a"));
            server.registerHandler(host, "/b", namedHandler("b"), false, true);
            server.registerHandler("other", "/x", namedHandler("x"), true, false);

            assertEquals("a", greetingAt(server.port(), host, "/a"));
            assertEquals("b", greetingAt(server.port(), host, "/unknown"), "default path of the host");
            assertEquals("x", greetingAt(server.port(), "unknown.example", "/x"), "default host");
            assertTrue(upgrade(server.port(), "unknown.example", "/nope").startsWith("HTTP/1.1 404"),
                    "the default host has no default path");
            assertTrue(upgrade(server.port(), host, "/a?query").startsWith("HTTP/1.1 101"),
                    "the query is part of the path: the host's default path answers");
            assertEquals("b", greetingAt(server.port(), host, "/a?query"));
            assertTrue(upgrade(server.port(), "LOCALHOST:" + server.port(), "/a").startsWith("HTTP/1.1 404"),
                    "hosts match case-sensitively, and the default host has no default path");
        } finally {
            server.stop();
        }
    }

    @Test
    void theHandlerChoosesTheSubprotocolAndBothCommunicatorsReportIt() throws Exception {
        EventRecorder<String> serverSide = new EventRecorder<>("agreed subprotocol");
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.registerHandler("*", "*", new WebSocketHandler() {
            @Override
            public String selectSubprotocol(List<String> offered) {
                return offered.contains("chat.v2") ? "chat.v2" : null;
            }

            @Override
            protected void doHandleCommunication(Communicator communicator) {
                serverSide.record(String.valueOf(communicator.subprotocol()));
            }
        }, true, true);
        server.bind();
        try {
            assertEquals("chat.v2", subprotocolAgreed(server.port(), "chat.v1", "chat.v2"));
            serverSide.assertNext("chat.v2");
            assertNull(subprotocolAgreed(server.port(), "chat.v1"), "nothing offered that the handler speaks");
            serverSide.assertNext("null");
        } finally {
            server.stop();
        }
    }

    /**
     * Connects offering {@code offered} and returns the 101's Sec-WebSocket-Protocol (null if absent), after
     * checking that the client's communicator reports the same.
     */
    private static String subprotocolAgreed(int port, String... offered) throws Exception {
        WebSocketClient client = new WebSocketClient("127.0.0.1", port, "/");
        client.setSubprotocols(offered);
        AtomicReference<String> agreed = new AtomicReference<>();
        client.setOnHandshakeSuccess((c, response) -> agreed.set(response.headers().get("Sec-WebSocket-Protocol")));
        Communicator communicator = client.connect();
        assertNotNull(communicator, "the server refused the handshake");
        assertEquals(agreed.get(), communicator.subprotocol(), "the client's communicator reports the 101's choice");
        communicator.close();
        return agreed.get();
    }

    @Test
    void ownedHandlersAreClosedOnceAndReplacedOnesNot() {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        CountingHandler twice = new CountingHandler();
        CountingHandler replaced = new CountingHandler();
        CountingHandler replacement = new CountingHandler();
        server.registerHandler("h", "/one", twice);
        server.registerHandler("h", "/two", twice);
        server.registerHandler("h", "/three", replaced);
        server.registerHandler("h", "/three", replacement);
        server.bind();
        server.stop();
        server.stop();
        assertEquals(1, twice.closes.get(), "a handler under two routes is closed once");
        assertEquals(0, replaced.closes.get(), "a replaced handler is not closed (B17)");
        assertEquals(1, replacement.closes.get());
    }

    @Test
    void handlersThatAreNotOwnedAreNotClosed() {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        CountingHandler handler = new CountingHandler();
        server.registerHandler("*", "*", handler, true, true);
        server.setOwnsHandlers(false);
        server.bind();
        server.stop();
        assertEquals(0, handler.closes.get());
    }

    @ParameterizedTest
    @EnumSource(AcceptingMethod.class)
    void acceptRunsWhereTheAcceptingMethodSays(AcceptingMethod method) throws Exception {
        EventRecorder<Thread> acceptThreads = new EventRecorder<>("accept call");
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setAcceptingMethod(method);
        server.registerHandler("*", "*", new WebSocketHandler() {
            @Override
            public boolean accept(RequestData request, ResponseHeaders responseHeaders) {
                acceptThreads.record(Thread.currentThread());
                return true;
            }
        }, true, true);
        server.bind();
        try {
            assertTrue(upgrade(server.port(), "h", "/").startsWith("HTTP/1.1 101"));
            Thread accepting = acceptThreads.next();
            assertNotNull(accepting);
            switch (method) {
                case DEFAULT:
                    assertTrue(accepting.getName().startsWith("wsnetty-server"), accepting.getName());
                    break;
                case THREADED:
                    assertTrue(accepting.getName().startsWith("wsnetty-accept-"), accepting.getName());
                    Await.until("the one-shot accept thread ends", () -> !accepting.isAlive());
                    break;
                default:
                    assertTrue(accepting.getName().startsWith("wsnetty-accept-"), accepting.getName());
                    Await.parked(accepting); // back in the pool, waiting for the next handshake
                    break;
            }
        } finally {
            server.stop();
        }
        if (method == AcceptingMethod.THREAD_POOL) {
            Await.until("the accept pool's threads end with the server",
                    () -> liveThreads("wsnetty-accept-").isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(value = AcceptingMethod.class, names = {"DEFAULT", "THREAD_POOL"})
    void acceptSeesTheRequestAndAddsResponseHeaders(AcceptingMethod method) throws Exception {
        AtomicReference<RequestData> seen = new AtomicReference<>();
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setAcceptingMethod(method);
        server.registerHandler("*", "*", new WebSocketHandler() {
            @Override
            public boolean accept(RequestData request, ResponseHeaders responseHeaders) {
                seen.set(request);
                if (request.path().equals("/refuse")) {
                    return false;
                }
                if (request.path().equals("/fail")) {
                    throw new IllegalStateException("accept failed on purpose");
                }
                responseHeaders.add("Set-Cookie", "session=42");
                return true;
            }
        }, true, true);
        server.bind();
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/chat?room=1").header("Host", "example.org:81").toString());
            String upgraded = client.readHead(); // with the handler's Set-Cookie
            assertTrue(upgraded.startsWith("HTTP/1.1 101 "), upgraded);
            RequestData request = seen.get();
            assertEquals("GET", request.method());
            assertEquals("/chat?room=1", request.path());
            assertEquals("example.org:81", request.host());
            assertEquals("websocket", request.header("upgrade"));
            assertEquals(24, request.key().length());
            assertEquals(client.socket().getLocalPort(), request.remoteAddress().getPort());

            String accepted = upgrade(server.port(), "h", "/ok");
            assertTrue(accepted.startsWith("HTTP/1.1 101"), accepted);
            assertTrue(accepted.contains("\r\nSet-Cookie: session=42\r\n"), accepted);
            assertTrue(upgrade(server.port(), "h", "/refuse").startsWith("HTTP/1.1 403"));
            assertTrue(upgrade(server.port(), "h", "/fail").startsWith("HTTP/1.1 500"));
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(value = AcceptingMethod.class, names = {"DEFAULT", "THREAD_POOL"})
    void plainHandlersServeManyClientsAtOnceOffTheEventLoop(AcceptingMethod method) throws Exception {
        List<String> handlerThreads = new CopyOnWriteArrayList<>();
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setAcceptingMethod(method);
        server.registerHandler("*", "*", HandlerKind.PLAIN.create(c -> {
            handlerThreads.add(Thread.currentThread().getName());
            StringMessage m;
            while ((m = c.waitForStringMessage()) != null) {
                c.writeStringMessage("echo " + m.data());
            }
        }), true, true);
        server.bind();
        try (RawClient first = RawClient.upgrade(server.port(), "/");
             RawClient second = RawClient.upgrade(server.port(), "/")) {
            // The original's default made a plain handler serve one client at a time.
            second.sendText("2");
            assertEquals("echo 2", second.readFrame().text());
            first.sendText("1");
            assertEquals("echo 1", first.readFrame().text());
            assertEquals(2, handlerThreads.size());
            for (String name : handlerThreads) {
                assertFalse(name.startsWith("wsnetty-server"), "handler ran on event loop " + name);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void plainHttpIsServedOnTheSamePortByTheHttpHandler() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.setHttpHandler(PageHandler::new);
        server.registerHandler("*", "*", HandlerKind.PLAIN.create(c -> c.writeStringMessage("ws")), true, true);
        server.bind();
        try {
            String page = get(server.port(), "/");
            assertTrue(page.startsWith("HTTP/1.1 200"), page);
            assertTrue(page.endsWith("the chat page"), page);
            try (RawClient client = RawClient.upgrade(server.port(), "/")) {
                assertEquals("ws", client.readFrame().text());
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void withoutHttpHandlerPlainRequestsGet400() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.bind();
        try {
            assertTrue(get(server.port(), "/").startsWith("HTTP/1.1 400"));
        } finally {
            server.stop();
        }
    }

    @Test
    void aNewServerBindsThePortOfAStoppedOneDespiteTimeWait() throws Exception {
        WebSocketServer first = new WebSocketServer("127.0.0.1", 0);
        first.registerHandler("*", "*", HandlerKind.THREADED.create(Communicator::awaitClose), true, true);
        first.bind();
        int port = first.port();
        try (RawClient client = RawClient.upgrade(port, "/")) {
            Thread stopper = new Thread(first::stop);
            stopper.start();
            assertEquals(1001, client.readFrame().closeCode());
            client.sendClose(1001, "");
            client.expectEndOfStream(); // the server closed TCP first: its side is in TIME_WAIT now
            stopper.join(WAIT.toMillis());
        }
        // The original failed here with "Binding of socket failed" (B19).
        WebSocketServer second = new WebSocketServer("127.0.0.1", port);
        second.bind();
        try {
            assertEquals(port, second.port());
            WebSocketServer third = new WebSocketServer("127.0.0.1", port);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, third::bind);
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        } finally {
            second.stop();
        }
    }

    @Test
    void aHandlerReceivesOnlyItsOwnConnections() throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        EventRecorder<Communicator> chat = new EventRecorder<>("chat connection");
        WebSocketHandler chatHandler = HandlerKind.THREADED.create(c -> {
            chat.record(c);
            c.awaitClose();
        });
        server.registerHandler("*", "/chat", chatHandler, true, false);
        server.bind();
        try (RawClient a = RawClient.connect(server.port()).upgrade("h", "/chat");
             RawClient b = RawClient.connect(server.port()).upgrade("h", "/chat")) {
            Communicator first = chat.next();
            Communicator second = chat.next();
            assertNotNull(first);
            assertNotNull(second);
            assertNotSame(first, second);
            Await.until("both connections are listed", () -> chatHandler.connections().size() == 2);
            for (Communicator c : chatHandler.connections()) {
                c.writeStringMessage("broadcast");
            }
            assertEquals("broadcast", a.readFrame().text());
            assertEquals("broadcast", b.readFrame().text());
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(HandlerKind.class)
    void aHandlerThatThrowsClosesItsConnectionWith1011AndTheServerGoesOn(HandlerKind kind) throws Exception {
        WebSocketServer server = new WebSocketServer("127.0.0.1", 0);
        server.registerHandler("*", "*", kind.create(c -> {
            if (c.waitForStringMessage() != null) {
                throw new IllegalStateException("handler bug on purpose");
            }
        }), true, true);
        server.bind();
        try {
            for (int i = 0; i < 2; i++) {
                try (RawClient client = RawClient.upgrade(server.port(), "/")) {
                    client.sendText("boom");
                    WireFrame close = client.readFrame();
                    assertEquals(1011, close.closeCode());
                    client.sendClose(1011, "");
                    client.expectEndOfStream();
                }
            }
        } finally {
            server.stop();
        }
    }

    private static String greetingAt(int port, String host, String path) throws IOException {
        try (RawClient client = RawClient.connect(port).upgrade(host, path)) {
            return client.readFrame().text();
        }
    }

    private static WebSocketHandler namedHandler(String name) {
        return HandlerKind.PLAIN.create(c -> c.writeStringMessage(name));
    }

    private static List<Thread> liveThreads(String prefix) {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                found.add(t);
            }
        }
        return found;
    }

    /** Counts {@link #close()} calls. */
    private static final class CountingHandler extends WebSocketHandler {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
            super.close();
        }
    }

    /** A plain HTTP handler that answers every request with a small page and closes. */
    private static final class PageHandler extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("the chat page", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** The answer to a handshake for {@code host} and {@code path}: the head only when it is a 101. */
    private static String upgrade(int port, String host, String path) throws IOException {
        return RawClient.exchange(port, UpgradeRequest.to(path).header("Host", host).toString());
    }

    /** The whole answer to a plain GET of {@code path}. */
    private static String get(int port, String path) throws IOException {
        return RawClient.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }
}
