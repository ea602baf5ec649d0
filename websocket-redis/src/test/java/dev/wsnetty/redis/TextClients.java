package dev.wsnetty.redis;

import dev.wsnetty.Communicator;
import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.netty.testing.WebSocketServerFixture;
import dev.wsnetty.testing.Await;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket client connections (wsnetty's {@link ClientConnector}, whole messages through a
 * {@link MessageAggregator}) to one server, each recording the text messages it receives, in order. Thread-safe for
 * reading while messages arrive.
 */
final class TextClients implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Channel> channels = new ArrayList<>();
    private final List<Recorder> recorders = new ArrayList<>();

    /** Opens {@code count} connections to {@code ws://127.0.0.1:port/} and waits until every one is upgraded. */
    static TextClients connect(int port, int count) {
        TextClients clients = new TextClients();
        try {
            ClientConnector connector = new ClientConnector(clients.group, NioSocketChannel.class);
            ClientHandshakeRequest request = ClientHandshakeRequest.builder("127.0.0.1").port(port).path("/").build();
            for (int i = 0; i < count; i++) {
                Recorder recorder = new Recorder();
                clients.recorders.add(recorder);
                ClientConnection c = connector.connect(request, pipeline -> pipeline
                        .addLast(new MessageAggregator())
                        .addLast(recorder));
                assertTrue(c.handshake().get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS).success(),
                        "handshake of client " + i);
                clients.channels.add(c.channel());
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

    /** What client {@code i} received so far, a snapshot. */
    List<String> received(int i) {
        return recorders.get(i).snapshot();
    }

    /** The server-side communicator of each client, in the clients' order, matched by port. */
    List<Communicator> serverSides(WebSocketServerFixture server) {
        Map<Integer, Communicator> byPort = new HashMap<>();
        for (int i = 0; i < size(); i++) {
            Communicator c = server.next();
            byPort.put(c.remoteAddress().getPort(), c);
        }
        List<Communicator> sides = new ArrayList<>();
        for (Channel channel : channels) {
            sides.add(byPort.get(((InetSocketAddress) channel.localAddress()).getPort()));
        }
        return sides;
    }

    /** Closes every connection (TCP, without a Close frame) and the event loop. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Records one connection's text messages and releases every frame. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        /** Guarded by itself; appended on the client's event loop. */
        private final List<String> received = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            try {
                if (frame.isText()) {
                    String text = frame.content().toString(StandardCharsets.UTF_8);
                    synchronized (received) {
                        received.add(text);
                    }
                }
            } finally {
                frame.release();
            }
        }

        List<String> snapshot() {
            synchronized (received) {
                return new ArrayList<>(received);
            }
        }
    }
}
