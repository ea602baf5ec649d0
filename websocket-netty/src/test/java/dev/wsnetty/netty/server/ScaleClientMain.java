package dev.wsnetty.netty.server;

import dev.wsnetty.netty.client.ClientConnection;
import dev.wsnetty.netty.client.ClientConnector;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of {@link ScaleTest}, run in a child JVM so that its sockets do not count against the test
 * JVM's open-file limit: opens many WebSocket connections with our {@link ClientConnector} on one event loop,
 * then follows commands read from stdin, answering each on stdout.
 *
 * <ul>
 *   <li>start: connect {@code count} clients, then print {@code CONNECTED n} (or {@code FAILED why});</li>
 *   <li>{@code MESSAGE}: send "hello i" on connection i, wait for every "ack hello i", print {@code ACKED n wrong w}
 *       (the acks of this command and the wrong answers so far); may be repeated;</li>
 *   <li>{@code CLOSE}: send Close 1000 on every connection, wait until all are closed, print {@code CLOSED n};</li>
 *   <li>end of stdin: exit.</li>
 * </ul>
 * Arguments: the server's port, the number of connections.
 */
public final class ScaleClientMain {
    private static final int IN_FLIGHT = 256;
    private static final long STEP_TIMEOUT_SECONDS = 120;

    private ScaleClientMain() {
    }

    /**
     * Runs the client.
     *
     * @param args port and number of connections
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            run(port, count, group);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static void run(int port, int count, EventLoopGroup group) throws Exception {
        ClientConnector connector = new ClientConnector(group, NioSocketChannel.class);
        ClientHandshakeRequest request = ClientHandshakeRequest.builder("127.0.0.1").port(port).path("/").build();
        Semaphore acks = new Semaphore(0);
        AtomicInteger wrongAcks = new AtomicInteger();
        List<Channel> channels = new ArrayList<>(count);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger failures = new AtomicInteger();
        List<ClientConnection> connections = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            inFlight.acquire();
            ClientConnection connection = connector.connect(request, pipeline -> pipeline.addLast(
                    new AckCounter("ack hello " + index, acks, wrongAcks)));
            connection.handshake().whenComplete((result, error) -> {
                if (error != null || !result.success()) {
                    failures.incrementAndGet();
                }
                inFlight.release();
            });
            connections.add(connection);
        }
        inFlight.acquire(IN_FLIGHT);
        if (failures.get() > 0) {
            System.out.println("FAILED " + failures.get() + " of " + count + " handshakes failed");
            return;
        }
        for (ClientConnection c : connections) {
            channels.add(c.channel());
        }
        System.out.println("CONNECTED " + channels.size());

        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) {
            if (command.equals("MESSAGE")) {
                for (int i = 0; i < channels.size(); i++) {
                    channels.get(i).writeAndFlush(WebSocketFrame.text("hello " + i));
                }
                int acked = acks.tryAcquire(channels.size(), STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        ? channels.size() : acks.drainPermits();
                System.out.println("ACKED " + acked + " wrong " + wrongAcks.get());
            } else if (command.equals("CLOSE")) {
                for (Channel ch : channels) {
                    ch.writeAndFlush(WebSocketFrame.close(1000, "bye"));
                }
                int closed = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_SECONDS);
                for (Channel ch : channels) {
                    long left = deadline - System.nanoTime();
                    if (left > 0 && ch.closeFuture().await(left, TimeUnit.NANOSECONDS)) {
                        closed++;
                    }
                }
                System.out.println("CLOSED " + closed);
            }
        }
    }

    /** Counts the text messages a connection expects, one permit each, and releases every frame. */
    private static final class AckCounter extends ChannelInboundHandlerAdapter {
        private final String expected;
        private final Semaphore acks;
        private final AtomicInteger wrong;

        AckCounter(String expected, Semaphore acks, AtomicInteger wrong) {
            this.expected = expected;
            this.acks = acks;
            this.wrong = wrong;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                try {
                    if (frame.isText()) {
                        if (frame.isFinal() && frame.text().equals(expected)) {
                            acks.release();
                        } else {
                            wrong.incrementAndGet();
                        }
                    }
                } finally {
                    frame.release();
                }
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }
}
