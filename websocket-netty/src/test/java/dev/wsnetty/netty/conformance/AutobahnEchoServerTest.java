package dev.wsnetty.netty.conformance;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Autobahn traps where the frame handlers meet (decoder, protocol handler, aggregator, echo), replayed
 * over a real socket against {@link AutobahnEchoServer}'s pipeline, so that they are guarded by the
 * ordinary test run too (the suite itself runs only in {@code verify}). The close timeout is an hour:
 * every TCP close seen here therefore comes from the closing handshake, not from that timer.
 */
class AutobahnEchoServerTest {
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int MASK = 0x37FA213D;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Channel server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Autobahn 3.2 / 4.1.3: the message before the bad frame is echoed, the ping after it gets no pong. */
    @Test
    void echoesTheMessageBeforeABadFrameOfTheSameReadAndAnswersNoPingAfterIt() throws Exception {
        try (Client client = connect()) {
            client.send(concat(
                    frame(0x80 | TEXT, utf8("Hello, world!")),
                    frame(0x80 | 0x20 | TEXT, utf8("Hello, world!")), // RSV2
                    frame(0x80 | PING, new byte[0])));
            client.expect(TEXT, utf8("Hello, world!"));
            client.expectClose(1002);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 7.1.3 / 7.1.4: one Close in reply, no pong and no echo after the peer's Close, TCP closed at once. */
    @Test
    void repliesToCloseOnceIgnoresWhatFollowsAndClosesTcpRightAway() throws Exception {
        try (Client client = connect()) {
            client.send(concat(
                    frame(0x80 | CLOSE, closePayload(1000)),
                    frame(0x80 | PING, utf8("ping")),
                    frame(0x80 | TEXT, utf8("Hello World!")),
                    frame(0x80 | CLOSE, new byte[0])));
            client.expectClose(1000);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 4.1.1: failing the connection closes TCP without waiting for the client's Close. */
    @Test
    void failingTheConnectionClosesTcpWithoutWaitingForTheClientsClose() throws Exception {
        try (Client client = connect()) {
            client.send(frame(0x80 | 0x3, new byte[0])); // reserved opcode
            client.expectClose(1002);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 6.4.4: invalid UTF-8 fails the connection while the frame that holds it is still arriving. */
    @Test
    void failsOnInvalidUtf8InsideATextFrameThatHasNotFullyArrived() throws Exception {
        byte[] text = HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5f4908080656469746564");
        byte[] whole = frame(TEXT, text); // FIN=0, as the suite's streaming API sends it
        int invalid = whole.length - text.length + 12; // the 0x90 after the lead byte 0xF4: U+110000
        try (Client client = connect()) {
            client.send(Arrays.copyOf(whole, invalid)); // a valid prefix: must not fail yet
            client.send(Arrays.copyOfRange(whole, invalid, invalid + 1));
            client.expectClose(1007);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 5.6 / 5.19: a ping inside a fragmented message is answered before the message ends. */
    @Test
    void answersAPingInsideAFragmentedMessageBeforeTheMessageEnds() throws Exception {
        try (Client client = connect()) {
            client.send(concat(frame(TEXT, utf8("fragment1")), frame(0x80 | PING, utf8("ping payload"))));
            client.expect(PONG, utf8("ping payload"));
            client.send(frame(0x80 | CONTINUATION, utf8("fragment2")));
            client.expect(TEXT, utf8("fragment1fragment2"));
            client.send(frame(0x80 | CLOSE, closePayload(1000)));
            client.expectClose(1000);
            client.expectEndOfStream();
        }
    }

    /** Autobahn 1.2.8 / 9.6: a large frame written in small chops is streamed, reassembled and echoed whole. */
    @Test
    void echoesALargeFrameWrittenInSmallChops() throws Exception {
        byte[] payload = new byte[256 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        byte[] wire = frame(0x80 | BINARY, payload);
        try (Client client = connect()) {
            for (int at = 0; at < wire.length; at += 997) {
                client.send(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 997)));
            }
            client.expect(BINARY, payload);
            client.send(frame(0x80 | CLOSE, closePayload(1000)));
            client.expectClose(1000);
            client.expectEndOfStream();
        }
    }

    private Client connect() throws IOException {
        WebSocketConfig config = AutobahnEchoServer.config().toBuilder().closeTimeout(Duration.ofHours(1)).build();
        ServerHandshakeConfig settings = AutobahnEchoServer.settings(config);
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WebSocketPipeline.addServerHandshake(ch.pipeline(), settings.config(), new ServerHandshakeHandler(settings));
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return new Client(((InetSocketAddress) server.localAddress()).getPort());
    }

    /** A masked client frame with the given first byte (FIN, RSV bits, opcode), shortest length form. */
    private static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        if (payload.length <= 125) {
            out.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(MASK >>> shift);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ (MASK >>> (24 - 8 * (i & 3))));
        }
        return out.toByteArray();
    }

    private static byte[] closePayload(int code) {
        return new byte[] {(byte) (code >>> 8), (byte) code};
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A blocking client that completes the handshake, writes raw bytes and reads server frames. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000); // the deadline of every read
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            send(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Reads the next frame and checks that it is a final, unmasked frame with this opcode and payload. */
        void expect(int opcode, byte[] payload) throws IOException {
            assertArrayEquals(payload, read(opcode), "payload of the server's frame");
        }

        /** Reads the next frame and checks that it is a Close frame with this code (and any reason). */
        void expectClose(int code) throws IOException {
            byte[] payload = read(CLOSE);
            assertTrue(payload.length >= 2, "Close frame without a code");
            assertEquals(code, ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF), "close code");
        }

        private byte[] read(int opcode) throws IOException {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            assertEquals(0x80 | opcode, first, "FIN and opcode of the server's frame");
            assertEquals(0, second & 0x80, "server frames are not masked");
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] actual = new byte[Math.toIntExact(length)];
            in.readFully(actual);
            return actual;
        }

        /** Checks that the server closed the connection after what was read so far. */
        void expectEndOfStream() throws IOException {
            assertEquals(-1, in.read(), "the server should have closed TCP");
        }

        private String readHead() throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed during the handshake: " + head);
                }
                head.append((char) b);
            }
            return head.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
