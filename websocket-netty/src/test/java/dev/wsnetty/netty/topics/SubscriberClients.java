package dev.wsnetty.netty.topics;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many WebSocket client connections on one client event loop group (wsnetty's {@link ClientConnector}, whole
 * messages through a {@link MessageAggregator}), each recording what it receives as {@link Received} values: type,
 * length and checksum, so that a test compares whole sequences (exactly once, in order, intact) without keeping
 * every payload. Thread-safe for reading while messages arrive.
 */
final class SubscriberClients implements AutoCloseable {
    /** A message as one client received it; equal for the same type and bytes. */
    record Received(boolean text, int length, long crc) {
        /** The value a text message {@code s} is recorded as. */
        static Received text(String s) {
            return of(true, s.getBytes(StandardCharsets.UTF_8));
        }

        /** The value a binary message {@code data} is recorded as. */
        static Received binary(byte[] data) {
            return of(false, data);
        }

        private static Received of(boolean text, byte[] bytes) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return new Received(text, bytes.length, crc.getValue());
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Channel> channels = new ArrayList<>();
    private final List<Recorder> recorders = new ArrayList<>();

    private SubscriberClients() {
    }

    /**
     * Opens {@code count} connections to {@code ws://127.0.0.1:port/}, at most 128 handshakes at a time, and waits
     * until every one is upgraded.
     */
    static SubscriberClients connect(int port, int count) {
        SubscriberClients clients = new SubscriberClients();
        try {
            ClientConnector connector = new ClientConnector(clients.group, NioSocketChannel.class);
            ClientHandshakeRequest request = ClientHandshakeRequest.builder("127.0.0.1").port(port).path("/").build();
            List<ClientConnection> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Recorder recorder = new Recorder();
                clients.recorders.add(recorder);
                batch.add(connector.connect(request, pipeline -> pipeline
                        .addLast(new MessageAggregator())
                        .addLast(recorder)));
                if (batch.size() == 128 || i == count - 1) {
                    for (ClientConnection c : batch) {
                        assertTrue(c.handshake().get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS).success(),
                                "handshake of client " + clients.channels.size());
                        clients.channels.add(c.channel());
                    }
                    batch.clear();
                }
            }
            return clients;
        } catch (Exception e) {
            clients.close();
            throw new AssertionError("cannot connect " + count + " clients", e);
        }
    }

    /** How many connections there are. */
    int size() {
        return channels.size();
    }

    /** Client {@code i}'s channel. */
    Channel channel(int i) {
        return channels.get(i);
    }

    /** Client {@code i}'s local port: the remote port of its connection on the server. */
    int localPort(int i) {
        return ((InetSocketAddress) channels.get(i).localAddress()).getPort();
    }

    /** What client {@code i} received so far, a snapshot. */
    List<Received> received(int i) {
        return recorders.get(i).snapshot();
    }

    /** How many messages client {@code i} received so far. */
    int count(int i) {
        return recorders.get(i).count();
    }

    /** The close code client {@code i} received from the server, or -1 while none came. */
    int closeCode(int i) {
        return recorders.get(i).closeCode;
    }

    /**
     * The server-side communicator of each client, in the clients' order: takes {@link #size()} connections from
     * {@code server} and matches them by port.
     */
    List<Communicator> serverSides(WebSocketServerFixture server) {
        Map<Integer, Communicator> byPort = new HashMap<>();
        for (int i = 0; i < size(); i++) {
            Communicator c = server.next();
            byPort.put(c.remoteAddress().getPort(), c);
        }
        List<Communicator> sides = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            sides.add(byPort.get(localPort(i)));
        }
        return sides;
    }

    /** Closes every connection (TCP, without a Close frame) and the event loops. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Records one connection's whole messages and releases them. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        /** Guarded by itself; appended on the client's event loop. */
        private final List<Received> received = new ArrayList<>();
        /** The server's close code; -1 until a Close arrives. */
        private volatile int closeCode = -1;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            try {
                if (frame.isClose()) {
                    closeCode = frame.closeCode();
                } else if (frame.isText() || frame.isBinary()) {
                    ByteBuf content = frame.content();
                    CRC32 crc = new CRC32();
                    crc.update(content.nioBuffer());
                    synchronized (received) {
                        received.add(new Received(frame.isText(), content.readableBytes(), crc.getValue()));
                    }
                }
            } finally {
                frame.release();
            }
        }

        List<Received> snapshot() {
            synchronized (received) {
                return Collections.unmodifiableList(new ArrayList<>(received));
            }
        }

        int count() {
            synchronized (received) {
                return received.size();
            }
        }
    }
}
