package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.Bytes;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.ScriptedServer;
import dev.wsnetty.netty.testing.WireFrame;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.wsnetty.netty.testing.Bytes.counting;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static dev.wsnetty.netty.testing.Frames.BINARY;
import static dev.wsnetty.netty.testing.Frames.CLOSE;
import static dev.wsnetty.netty.testing.Frames.TEXT;
import static dev.wsnetty.netty.testing.Frames.closePayload;
import static dev.wsnetty.netty.testing.Frames.server;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our client ({@link ClientConnector}) on the wire, against a raw {@link ScriptedServer} that the test
 * drives: every frame the client sends is masked with a fresh key (the test reads the key
 * and unmasks the payload), whatever the length form; unmasked server frames reach the application; a
 * masked server frame gets Close 1002 and invalid UTF-8 gets 1007; a server Close is echoed, masked; and
 * after the closing handshake the client leaves closing TCP to the server, closing it itself only after
 * {@code closeTimeout}.
 */
class ClientWireTest {
    private static final long WAIT_SECONDS = 10;
    private static EventLoopGroup group;
    private static ClientConnector connector;

    private ScriptedServer server;
    private ScriptedServer.Exchange exchange;
    private InputStream in;
    private Channel channel;
    /** What reached the application: every frame (released by the test) and the close event. */
    private final EventRecorder<WebSocketFrame> received = new EventRecorder<>("frame");
    private final EventRecorder<WebSocketCloseEvent> closeEvents = new EventRecorder<>("close event");

    @BeforeAll
    static void startEventLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        connector = new ClientConnector(group, NioSocketChannel.class);
    }

    @AfterAll
    static void stopEventLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Connects our client to a raw server and answers its handshake with a valid 101. */
    private void connect(WebSocketConfig config) throws Exception {
        server = ScriptedServer.start();
        ClientHandshakeRequest request = ClientHandshakeRequest.builder("127.0.0.1").port(server.port())
                .path("/wire").config(config).build();
        ClientConnection connection = connector.connect(request, pipeline -> pipeline.addLast(new Recorder()));
        exchange = server.nextExchange();
        assertNotNull(exchange.key, "the request has a key");
        in = exchange.socket.getInputStream();
        exchange.send(exchange.switching());
        assertTrue(connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS).success());
        channel = connection.channel();
    }

    /** Fails the test when a frame or close event reached the application unasserted (before the teardown's own). */
    @AfterEach
    void disconnect() throws Exception {
        List<WebSocketFrame> frames = received.takeAll();
        String unasserted = frames + " " + closeEvents.takeAll();
        frames.forEach(WebSocketFrame::release);
        channel.close().syncUninterruptibly();
        server.close();
        assertEquals("[] []", unasserted, "frames and close events recorded but not asserted");
    }

    /** Text, and binary in the 7-, 16- and 64-bit length forms: each masked, each with its own key. */
    @Test
    void everyClientFrameIsMasked() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        byte[] small = counting(100);
        byte[] medium = counting(300);
        byte[] large = counting(70_000);
        channel.writeAndFlush(WebSocketFrame.text("Hello"));
        channel.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(small)));
        channel.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(medium)));
        channel.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(large)));
        Set<Integer> keys = new HashSet<>();
        keys.add(expectMasked(TEXT, utf8("Hello")));
        keys.add(expectMasked(BINARY, small));
        keys.add(expectMasked(BINARY, medium));
        keys.add(expectMasked(BINARY, large));
        assertEquals(4, keys.size(), "a fresh masking key per frame");
    }

    /**
     * A Close written by the application goes out masked; after the server's answer the client leaves
     * closing TCP to the server (RFC 6455 §7.1.1): 300 ms later the connection is still open.
     */
    @Test
    void closeFromTheClientIsMaskedAndTheServerClosesTcp() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        channel.writeAndFlush(WebSocketFrame.close(1000, "bye"));
        expectMasked(CLOSE, closePayload(1000, "bye"));
        send(server(CLOSE, closePayload(1000, "")));
        expectClientKeepsTcpOpen();
        exchange.socket.close();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new WebSocketCloseEvent(1000, "", false, true), closeEvents.next());
        assertCloseReachedTheApplication(1000, "");
    }

    /**
     * The server answers the client's Close but never closes TCP: the client closes it after
     * {@code closeTimeout} (300 ms here), not before.
     */
    @Test
    void closeTimeoutClosesTcpWhenTheServerDoesNot() throws Exception {
        Duration closeTimeout = Duration.ofMillis(300);
        connect(WebSocketConfig.builder().closeTimeout(closeTimeout).build());
        long start = System.nanoTime();
        channel.writeAndFlush(WebSocketFrame.close(1000, "bye"));
        expectMasked(CLOSE, closePayload(1000, "bye"));
        send(server(CLOSE, closePayload(1000, "")));
        assertEquals(-1, in.read(), "the client closed TCP");
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= closeTimeout.toNanos(), "closed after " + elapsed / 1_000_000 + " ms");
        assertEquals(new WebSocketCloseEvent(1000, "", false, true), closeEvents.next());
        assertCloseReachedTheApplication(1000, "");
    }

    /** {@code channel.close()} is the abrupt end: a masked Close 1000, then TCP closed without waiting. */
    @Test
    void channelCloseSendsMaskedCloseThenClosesTcp() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        channel.close();
        expectMasked(CLOSE, closePayload(1000, ""));
        assertEquals(-1, in.read(), "the client closed TCP after its Close");
        assertEquals(new WebSocketCloseEvent(1000, "", false, false), closeEvents.next());
    }

    /** Unmasked server frames reach the application as sent. */
    @Test
    void unmaskedServerFramesReachTheApplication() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        send(server(TEXT, utf8("hi")), server(BINARY, counting(300)));
        WebSocketFrame text = received.next();
        WebSocketFrame binary = received.next();
        try {
            assertEquals("hi", text.text());
            assertTrue(text.isText() && text.isFinal());
            assertArrayEquals(counting(300), ByteBufUtil.getBytes(binary.content()));
        } finally {
            text.release();
            binary.release();
        }
    }

    /**
     * A masked server frame is a protocol error (§5.1): the client sends a masked Close 1002 and the
     * frame never reaches the application; the server then closes TCP.
     */
    @Test
    void maskedServerFrameGetsClose1002() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        send(Frames.client(TEXT, utf8("masked")));
        expectMasked(CLOSE, closePayload(1002, "server frame is masked"));
        exchange.socket.close();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new WebSocketCloseEvent(1002, "server frame is masked", false, false), closeEvents.next());
        received.assertExhausted();
    }

    /** The client validates text too: a server text frame that is not UTF-8 gets a masked Close 1007. */
    @Test
    void invalidUtf8FromTheServerGetsClose1007() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        send(server(TEXT, Bytes.bytes(0x61, 0xC3, 0x28)));
        expectMasked(CLOSE, closePayload(1007, "text is not valid UTF-8"));
        exchange.socket.close();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new WebSocketCloseEvent(1007, "text is not valid UTF-8", false, false), closeEvents.next());
        received.assertExhausted();
    }

    /**
     * The server's Close is passed to the application and echoed, masked; the client does not close TCP
     * itself but waits for the server to.
     */
    @Test
    void serverCloseIsEchoedAndTheServerClosesTcp() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        send(server(CLOSE, closePayload(4000, "done")));
        expectMasked(CLOSE, closePayload(4000, ""));
        expectClientKeepsTcpOpen();
        exchange.socket.close();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new WebSocketCloseEvent(4000, "done", true, true), closeEvents.next());
        assertCloseReachedTheApplication(4000, "done");
    }

    /** The server's Close frame was passed on to the application, with this code and reason. */
    private void assertCloseReachedTheApplication(int code, String reason) {
        WebSocketFrame close = received.next();
        try {
            assertEquals(code, close.closeCode());
            assertEquals(reason, close.closeReason());
        } finally {
            close.release();
        }
    }

    /**
     * Reads one frame, checks its first byte, the mask bit and the length form, unmasks the payload with
     * the key it carries and compares it.
     *
     * @return the masking key
     */
    private int expectMasked(int firstByte, byte[] payload) throws IOException {
        byte[] bytes = exchange.readFrameBytes();
        WireFrame frame = WireFrame.parse(bytes);
        assertEquals(firstByte, bytes[0] & 0xFF, "first byte");
        assertTrue(frame.masked(), "mask bit");
        int lengthForm = payload.length <= 125 ? payload.length : payload.length <= 0xFFFF ? 126 : 127;
        assertEquals(lengthForm, bytes[1] & 0x7F, "length form");
        assertEquals(Bytes.hex(payload), Bytes.hex(frame.payload()), "unmasked payload");
        if (frame.key() != 0 && payload.length >= 4) {
            byte[] onTheWire = Arrays.copyOfRange(bytes, bytes.length - payload.length, bytes.length);
            assertFalse(Arrays.equals(payload, onTheWire), "the payload went out masked");
        }
        return frame.key();
    }

    /** The client has not closed TCP: nothing (no end of stream) arrives for 300 ms. */
    private void expectClientKeepsTcpOpen() throws IOException {
        exchange.socket.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> in.read(), "the client must not close TCP first");
        exchange.socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }

    private void send(byte[]... parts) throws IOException {
        exchange.send(parts);
    }

    /** The application: keeps every frame (released by the test) and the close event. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame) {
                received.record((WebSocketFrame) msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketCloseEvent) {
                closeEvents.record((WebSocketCloseEvent) evt);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
