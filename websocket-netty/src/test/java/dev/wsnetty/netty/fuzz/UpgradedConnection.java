package dev.wsnetty.netty.fuzz;

import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.client.ClientHandshakeHandler;
import dev.wsnetty.netty.client.ClientHandshakeRequest;
import dev.wsnetty.netty.client.ClientHandshakeResult;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.handshake.HandshakeRequest;
import dev.wsnetty.netty.handshake.ServerHandshakeConfig;
import dev.wsnetty.netty.handshake.ServerHandshakeHandler;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.internal.AcceptKey;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.TrackingAllocator;
import dev.wsnetty.netty.testing.UpgradeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One end of a WebSocket connection as the server or the client builds it, in an {@link EmbeddedChannel}: the real
 * handshake handler ({@link ServerHandshakeHandler} after Netty's HTTP codec, or {@link ClientHandshakeHandler})
 * is given a valid handshake, and so installs the frame handlers itself, as on a socket; behind them the application
 * is a {@link Recorder}, after the blocking API's {@code MessageAggregator} when {@code aggregate}.
 *
 * <p>Every buffer comes from a {@link TrackingAllocator}, and the connection counts in its own
 * {@link InboundMemoryBudget}, so {@link #finishAndCheckResources()} can prove that nothing was leaked or left
 * counted. Time is frozen: {@link #advance} moves it, and runs the timers that are due.
 */
final class UpgradedConnection {
    /** The subprotocol our client offers and our server selects. */
    static final String SUBPROTOCOL = "chat";

    private final EmbeddedChannel channel;
    private final TrackingAllocator allocator;
    private final InboundMemoryBudget budget = InboundMemoryBudget.of(64L << 20);
    private final Recorder recorder = new Recorder();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    private UpgradedConnection(boolean preferDirect) {
        allocator = new TrackingAllocator(preferDirect);
        channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.freezeTime();
        WebSocketPipeline.useInboundMemoryBudget(channel.pipeline(), budget);
    }

    /**
     * A connection of {@code role} right after a successful opening handshake, with nothing read or written since.
     *
     * @param aggregate whether the application gets whole messages (the blocking API's pipeline) or frames
     */
    static UpgradedConnection open(Role role, WebSocketConfig config, boolean aggregate, boolean preferDirect) {
        UpgradedConnection c = new UpgradedConnection(preferDirect);
        Consumer<ChannelPipeline> application = pipeline -> {
            if (aggregate) {
                WebSocketPipeline.addCommunicator(pipeline, c.recorder);
            } else {
                pipeline.addLast("application", c.recorder);
            }
        };
        if (role == Role.SERVER) {
            c.upgradeServer(config, application);
        } else {
            c.upgradeClient(config, application);
        }
        assertTrue(c.channel.pipeline().names().contains(WebSocketPipeline.DECODER), c.channel.pipeline().names()::toString);
        return c;
    }

    private void upgradeServer(WebSocketConfig config, Consumer<ChannelPipeline> application) {
        WebSocketEndpoint endpoint = new WebSocketEndpoint() {
            @Override
            public String selectSubprotocol(List<String> offered) {
                return offered.contains(SUBPROTOCOL) ? SUBPROTOCOL : null;
            }

            @Override
            public void opened(Channel ch, HandshakeRequest request, String subprotocol) {
                application.accept(ch.pipeline());
            }
        };
        ServerHandshakeConfig settings = TestServer.everywhere(endpoint).config(config).build();
        WebSocketPipeline.addServerHandshake(channel.pipeline(), config, new ServerHandshakeHandler(settings));
        read(UpgradeRequest.to("/").header("Sec-WebSocket-Protocol", SUBPROTOCOL).toString()
                .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + UpgradeRequest.ACCEPT + "\r\nSec-WebSocket-Protocol: " + SUBPROTOCOL
                + "\r\n\r\n", takeWritten());
    }

    private void upgradeClient(WebSocketConfig config, Consumer<ChannelPipeline> application) {
        CompletableFuture<ClientHandshakeResult> result = new CompletableFuture<>();
        ClientHandshakeRequest request = ClientHandshakeRequest.builder("example.com").subprotocols(SUBPROTOCOL)
                .config(config).build();
        ClientHandshakeHandler handshake = new ClientHandshakeHandler(request, result, application);
        WebSocketPipeline.addClientHandshake(channel.pipeline(), config, handshake);
        assertTrue(takeWritten().startsWith("GET / HTTP/1.1\r\n"));
        read(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.of(handshake.key()) + "\r\nSec-WebSocket-Protocol: "
                + SUBPROTOCOL + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(result.isDone() && result.join().success(), result::toString);
    }

    /** Passes {@code bytes} to the pipeline as one read, in a buffer of the tracking allocator. */
    void read(byte[] bytes) {
        ByteBuf buf = allocator.buffer(bytes.length).writeBytes(bytes);
        channel.writeInbound(buf);
        Writes.drainInto(channel, written);
    }

    /** Moves the frozen clock on and runs the timers that are then due. */
    void advance(Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
        Writes.drainInto(channel, written);
    }

    /** Closes the channel as the application would: Close 1000 unless a Close was sent. */
    void close() {
        channel.close();
        channel.runPendingTasks();
        Writes.drainInto(channel, written);
    }

    EmbeddedChannel channel() {
        return channel;
    }

    Recorder recorder() {
        return recorder;
    }

    TrackingAllocator allocator() {
        return allocator;
    }

    /** All bytes written to the socket since the handshake (or, before, since the last take). */
    byte[] written() {
        return written.toByteArray();
    }

    /**
     * Ends the channel and proves that every buffer was released (the tracking allocator's and anything left in
     * the channel's queues) and that the inbound memory budget counts nothing for it any more.
     */
    void finishAndCheckResources() {
        channel.finishAndReleaseAll();
        Writes.drainInto(channel, written);
        allocator.assertAllReleased();
        assertEquals(0, budget.used(), "bytes still counted in the inbound memory budget");
    }

    private String takeWritten() {
        Writes.drainInto(channel, written);
        String text = written.toString(StandardCharsets.ISO_8859_1);
        written.reset();
        return text;
    }

    /**
     * The application at the end of the pipeline: records what reaches it (and releases it). Protocol violations
     * end at the protocol handler, so an exception arriving here escaped the WebSocket handlers.
     */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        /** Frames or whole messages: opcode, final flag, payload. */
        final List<Delivered> delivered = new ArrayList<>();
        final List<WebSocketCloseEvent> closeEvents = new ArrayList<>();
        final List<Throwable> exceptions = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof WebSocketFrame) {
                    WebSocketFrame frame = (WebSocketFrame) msg;
                    byte[] payload = new byte[frame.content().readableBytes()];
                    frame.content().getBytes(frame.content().readerIndex(), payload);
                    delivered.add(new Delivered(frame.opcode(), frame.isFinal(), payload));
                } else {
                    exceptions.add(new AssertionError("the application got a " + msg.getClass().getName()));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketCloseEvent) {
                closeEvents.add((WebSocketCloseEvent) evt);
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.add(cause);
        }
    }

    /** A frame or message the application got. */
    record Delivered(int opcode, boolean fin, byte[] payload) {
    }
}
