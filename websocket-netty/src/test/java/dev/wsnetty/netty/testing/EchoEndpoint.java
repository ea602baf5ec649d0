package dev.wsnetty.netty.testing;

import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.handshake.HandshakeRequest;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.netty.protocol.WebSocketCloseEvent;
import dev.wsnetty.testing.Await;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An endpoint that echoes every whole text and binary message ({@link MessageAggregator}, then
 * {@link MessageEcho}) and records what each connection went through, for the test to assert: the
 * {@link Connection} itself once upgraded, then its messages, the pongs it received and how it ended. It accepts
 * every handshake, adding the response headers it was given, and selects the first offered subprotocol among the
 * ones it was given.
 */
public final class EchoEndpoint implements WebSocketEndpoint {
    private final List<String> subprotocols = new ArrayList<>();
    private final List<String[]> responseHeaders = new ArrayList<>();
    private final EventRecorder<Connection> connections = new EventRecorder<>("upgraded connection");
    private final AtomicInteger upgraded = new AtomicInteger();
    private final CompletableFuture<Connection> first = new CompletableFuture<>();

    /** Selects this subprotocol when a client offers it (the first of them it offers); none by default. */
    public EchoEndpoint subprotocol(String subprotocol) {
        subprotocols.add(subprotocol);
        return this;
    }

    /** Adds this header to every 101 answer. */
    public EchoEndpoint responseHeader(String name, String value) {
        responseHeaders.add(new String[] {name, value});
        return this;
    }

    /** The next upgraded connection, waiting up to the recorder's deadline. */
    public Connection nextConnection() {
        return connections.next();
    }

    /**
     * The first connection upgraded, waiting up to {@link Await#DEADLINE} for it: for tests with one connection
     * (it is also the first {@link #nextConnection()} returns).
     */
    public Connection firstConnection() {
        try {
            return first.get(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("no connection was upgraded within " + Await.DEADLINE.toMillis() + " ms");
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** How many connections were upgraded so far (counted once the 101 was written). */
    public int upgradedCount() {
        return upgraded.get();
    }

    @Override
    public boolean accept(HandshakeRequest request, HttpHeaders headers) {
        for (String[] header : responseHeaders) {
            headers.add(header[0], header[1]);
        }
        return true;
    }

    @Override
    public String selectSubprotocol(List<String> offered) {
        return offered.stream().filter(subprotocols::contains).findFirst().orElse(null);
    }

    @Override
    public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
        Connection connection = new Connection(channel, request, subprotocol);
        channel.pipeline().addLast("frame-counter", connection.new FrameCounter())
                .addLast("aggregator", new MessageAggregator())
                .addLast("recorder", connection.new Recorder())
                .addLast("echo", new MessageEcho());
        upgraded.incrementAndGet();
        first.complete(connection);
        connections.record(connection);
    }

    /**
     * A message the echo received (and sent back).
     *
     * @param opcode  its opcode (of the first frame)
     * @param payload the whole payload
     * @param frames  how many data frames it came in, as the decoder passed them on (a frame from the streaming
     *                threshold up may be passed on in pieces)
     */
    public record Message(int opcode, byte[] payload, int frames) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** One upgraded connection, server side. */
    public static final class Connection {
        private final Channel channel;
        private final HandshakeRequest request;
        private final String subprotocol;
        private final EventRecorder<Message> messages = new EventRecorder<>("message");
        private final EventRecorder<byte[]> pongs = new EventRecorder<>("pong");
        private final EventRecorder<WebSocketCloseEvent> closeEvents = new EventRecorder<>("close event");
        /** Data frames of the message arriving; event loop only. */
        private int frames;

        Connection(Channel channel, HandshakeRequest request, String subprotocol) {
            this.channel = channel;
            this.request = request;
            this.subprotocol = subprotocol;
        }

        /** The connection, e.g. to write frames of the server's own. */
        public Channel channel() {
            return channel;
        }

        /** The handshake request. */
        public HandshakeRequest request() {
            return request;
        }

        /** The subprotocol selected, or null. */
        public String subprotocol() {
            return subprotocol;
        }

        /** The whole text and binary messages received, in order. */
        public EventRecorder<Message> messages() {
            return messages;
        }

        /** The payloads of the pongs received, in order. */
        public EventRecorder<byte[]> pongs() {
            return pongs;
        }

        /** How the connection ended, as the protocol handler reports it: one event at most. */
        public EventRecorder<WebSocketCloseEvent> closeEvents() {
            return closeEvents;
        }

        /** Counts the data frames of each message before they are aggregated. */
        private final class FrameCounter extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof WebSocketFrame && !((WebSocketFrame) msg).isControl()) {
                    frames++;
                }
                ctx.fireChannelRead(msg);
            }
        }

        /** Records whole messages, pongs and the close event, passing everything on to the echo. */
        private final class Recorder extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof WebSocketFrame) {
                    WebSocketFrame frame = (WebSocketFrame) msg;
                    if (frame.isText() || frame.isBinary()) {
                        messages.record(new Message(frame.opcode(), ByteBufUtil.getBytes(frame.content()), frames));
                        frames = 0;
                    } else if (frame.isPong()) {
                        pongs.record(ByteBufUtil.getBytes(frame.content()));
                    }
                }
                ctx.fireChannelRead(msg);
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
}
