package dev.wsnetty.netty.wire;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.wsnetty.netty.wire.WireFrames.BINARY;
import static dev.wsnetty.netty.wire.WireFrames.CLOSE;
import static dev.wsnetty.netty.wire.WireFrames.TEXT;
import static dev.wsnetty.netty.wire.WireFrames.closePayload;
import static dev.wsnetty.netty.wire.WireFrames.counting;
import static dev.wsnetty.netty.wire.WireFrames.server;
import static dev.wsnetty.netty.wire.WireFrames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our client ({@link ClientConnector}) on the wire, against a raw scripted server on a plain
 * {@link ServerSocket}: every frame the client sends is masked with a fresh key (the test reads the key
 * and unmasks the payload), whatever the length form; unmasked server frames reach the application; a
 * masked server frame gets Close 1002 and invalid UTF-8 gets 1007; a server Close is echoed, masked; and
 * after the closing handshake the client leaves closing TCP to the server, closing it itself only after
 * {@code closeTimeout}.
 */
class ClientWireTest {
    private static final long WAIT_SECONDS = 10;
    private static EventLoopGroup group;
    private static ClientConnector connector;

    private ServerSocket listener;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Channel channel;
    private final BlockingQueue<WebSocketFrame> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<WebSocketCloseEvent> closeEvents = new LinkedBlockingQueue<>();

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
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        ClientHandshakeRequest request = ClientHandshakeRequest.builder("127.0.0.1").port(listener.getLocalPort())
                .path("/wire").config(config).build();
        ClientConnection connection = connector.connect(request, pipeline -> pipeline.addLast(new Recorder()));
        socket = listener.accept();
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        in = socket.getInputStream();
        out = socket.getOutputStream();
        Matcher key = Pattern.compile("\r\nSec-WebSocket-Key: ([^\r]*)\r\n").matcher(readHead());
        assertTrue(key.find(), "the request has a key");
        send(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.of(key.group(1)) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(connection.handshake().get(WAIT_SECONDS, TimeUnit.SECONDS).success());
        channel = connection.channel();
    }

    @AfterEach
    void disconnect() throws Exception {
        channel.close().syncUninterruptibly();
        socket.close();
        listener.close();
        for (WebSocketFrame frame; (frame = received.poll()) != null; ) {
            frame.release();
        }
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
        socket.close();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new WebSocketCloseEvent(1000, "", false, true), nextCloseEvent());
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
        assertEquals(new WebSocketCloseEvent(1000, "", false, true), nextCloseEvent());
    }

    /** {@code channel.close()} is the abrupt end: a masked Close 1000, then TCP closed without waiting. */
    @Test
    void channelCloseSendsMaskedCloseThenClosesTcp() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        channel.close();
        expectMasked(CLOSE, closePayload(1000, ""));
        assertEquals(-1, in.read(), "the client closed TCP after its Close");
        assertEquals(new WebSocketCloseEvent(1000, "", false, false), nextCloseEvent());
    }

    /** Unmasked server frames reach the application as sent. */
    @Test
    void unmaskedServerFramesReachTheApplication() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        send(server(TEXT, utf8("hi")), server(BINARY, counting(300)));
        WebSocketFrame text = nextFrame();
        WebSocketFrame binary = nextFrame();
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
        send(WireFrames.client(TEXT, utf8("masked")));
        expectMasked(CLOSE, closePayload(1002, "server frame is masked"));
        socket.close();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new WebSocketCloseEvent(1002, "server frame is masked", false, false), nextCloseEvent());
        assertEquals(0, received.size());
    }

    /** The client validates text too: a server text frame that is not UTF-8 gets a masked Close 1007. */
    @Test
    void invalidUtf8FromTheServerGetsClose1007() throws Exception {
        connect(WebSocketConfig.DEFAULT);
        send(server(TEXT, WireFrames.bytes(0x61, 0xC3, 0x28)));
        expectMasked(CLOSE, closePayload(1007, "text is not valid UTF-8"));
        socket.close();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, received.size());
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
        socket.close();
        assertTrue(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(new WebSocketCloseEvent(4000, "done", true, true), nextCloseEvent());
        WebSocketFrame close = nextFrame();
        try {
            assertEquals(4000, close.closeCode());
            assertEquals("done", close.closeReason());
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
        byte[] head = readExactly(2);
        assertEquals(firstByte, head[0] & 0xFF, "first byte");
        assertEquals(0x80, head[1] & 0x80, "mask bit");
        int shortLength = head[1] & 0x7F;
        long length = shortLength;
        if (shortLength >= 126) {
            assertEquals(payload.length <= 0xFFFF ? 126 : 127, shortLength, "length form");
            length = 0;
            for (byte b : readExactly(shortLength == 126 ? 2 : 8)) {
                length = (length << 8) | (b & 0xFF);
            }
        }
        assertEquals(payload.length, length, "payload length");
        byte[] keyBytes = readExactly(4);
        int key = ((keyBytes[0] & 0xFF) << 24) | ((keyBytes[1] & 0xFF) << 16) | ((keyBytes[2] & 0xFF) << 8)
                | (keyBytes[3] & 0xFF);
        byte[] masked = readExactly(payload.length);
        assertEquals(WireClient.hex(payload), WireClient.hex(WireFrames.unmask(masked, key)), "unmasked payload");
        if (key != 0 && payload.length >= 4) {
            assertFalse(Arrays.equals(payload, masked), "the payload went out masked");
        }
        return key;
    }

    /** The client has not closed TCP: nothing (no end of stream) arrives for 300 ms. */
    private void expectClientKeepsTcpOpen() throws IOException {
        socket.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> in.read(), "the client must not close TCP first");
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }

    private void send(byte[]... parts) throws IOException {
        out.write(WireFrames.concat(parts));
        out.flush();
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        assertEquals(n, bytes.length, "the client closed the connection early");
        return bytes;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the client closed the connection during the handshake");
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private WebSocketFrame nextFrame() throws InterruptedException {
        WebSocketFrame frame = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(frame, "no frame reached the application");
        return frame;
    }

    private WebSocketCloseEvent nextCloseEvent() throws InterruptedException {
        WebSocketCloseEvent event = closeEvents.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(event, "the connection did not end");
        return event;
    }

    /** The application: keeps every frame (released by the test) and the close event. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame) {
                received.add((WebSocketFrame) msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketCloseEvent) {
                closeEvents.add((WebSocketCloseEvent) evt);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
