package dev.wsnetty.netty.topics;

import dev.wsnetty.MessageType;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.handshake.HandshakeRequest;
import dev.wsnetty.netty.handshake.WebSocketEndpoint;
import dev.wsnetty.netty.internal.IoType;
import dev.wsnetty.netty.pipeline.WebSocketPipeline;
import dev.wsnetty.netty.protocol.MessageAggregator;
import dev.wsnetty.netty.testing.RawClient;
import dev.wsnetty.netty.testing.TestServer;
import dev.wsnetty.netty.testing.WireFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topics in the pipeline API, without {@code WebSocketServer}: a server built from {@code ServerHandshakeHandler}
 * and {@link WebSocketPipeline} ({@link TestServer}, two event loops) whose endpoint registers each connection with
 * its own {@code new ChannelTopics()} and adds a Netty handler of frames that subscribes its channel and publishes
 * from the event loop: {@code sub T}, {@code unsub T}, {@code pub T text} (a text message from the frame's
 * buffer), {@code all text} (to every registered connection), each answered with {@code ok ...} once done.
 */
class PipelineTopicsTest {
    private final ChannelTopics topics = new ChannelTopics();

    @Test
    void aNettyHandlerSubscribesItsChannelAndPublishesFromTheEventLoop() throws Exception {
        try (TestServer server = TestServer.builder(TestServer.everywhere(new TopicsEndpoint()).build())
                .io(IoType.NIO, 2).start();
             RawClient first = RawClient.upgrade(server.port(), "/");
             RawClient second = RawClient.upgrade(server.port(), "/")) {
            request(first, "sub room");
            request(second, "pub room hello");
            assertEquals("hello", first.readFrame().text());
            request(second, "sub room");
            request(first, "pub room hi both");
            assertEquals("hi both", first.readFrame().text());
            assertEquals("hi both", second.readFrame().text());
            request(first, "unsub room");
            assertEquals(1, topics.subscriberCount("room"));
            request(first, "all to everyone");
            assertEquals("to everyone", first.readFrame().text());
            assertEquals("to everyone", second.readFrame().text());
            request(second, "pub room only the second");
            assertEquals("only the second", second.readFrame().text());
            request(first, "pub room nothing for the first");
            assertEquals("nothing for the first", second.readFrame().text());
            request(first, "all done"); // the first's next frame is this, not "nothing for the first"
            assertEquals("done", first.readFrame().text());
            assertEquals("done", second.readFrame().text());
        }
    }

    @Test
    void anyThreadSubscribesAnAcceptedChannelAndPublishesBuffersTheCallerKeeps() throws Exception {
        try (TestServer server = TestServer.builder(TestServer.everywhere(new TopicsEndpoint()).build()).start();
             RawClient client = RawClient.upgrade(server.port(), "/")) {
            Channel channel = server.nextAccepted();
            assertTrue(topics.subscribe(channel, "direct"));
            assertFalse(topics.subscribe(channel, "direct"), "already subscribed");
            assertEquals(Set.of("direct"), topics.subscriptions(channel));

            byte[] bytes = {1, 2, 3, (byte) 0xFF};
            ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {9, 9}, bytes).skipBytes(2);
            try {
                topics.publish("direct", MessageType.BINARY, payload);
                assertEquals(1, payload.refCnt(), "the caller keeps the buffer");
                assertEquals(bytes.length, payload.readableBytes(), "its indexes unchanged");
                WireFrame frame = client.readFrame();
                assertEquals(0x2, frame.opcode());
                assertArrayEquals(bytes, frame.payload());

                topics.publishToAll(MessageType.BINARY, payload);
                assertArrayEquals(bytes, client.readFrame().payload());
                assertEquals(1, payload.refCnt());
            } finally {
                payload.release();
            }
            ByteBuf text = Unpooled.copiedBuffer("grüße", StandardCharsets.UTF_8);
            try {
                topics.publish("direct", MessageType.STRING, text);
                assertEquals("grüße", client.readFrame().text());
            } finally {
                text.release();
            }
            assertTrue(topics.unsubscribe(channel, "direct"));
            assertFalse(topics.unsubscribe(channel, "direct"));
            assertEquals(0, topics.topicCount());
        }
    }

    /** Sends {@code command} and reads its answer. */
    private static void request(RawClient client, String command) throws Exception {
        client.sendText(command);
        assertEquals("ok " + command, client.readFrame().text());
    }

    /** Registers each connection with the test's topics and adds the command handler. */
    private final class TopicsEndpoint implements WebSocketEndpoint {
        @Override
        public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
            topics.register(channel);
            channel.pipeline()
                    .addLast(WebSocketPipeline.AGGREGATOR, new MessageAggregator())
                    .addLast("topics", new Commands());
        }
    }

    /** The commands of this class; the published text is a slice of the frame's own buffer. */
    private final class Commands extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!frame.isText()) {
                return;
            }
            String command = frame.text();
            String[] words = command.split(" ", 3);
            ByteBuf content = frame.content();
            switch (words[0]) {
                case "sub" -> topics.subscribe(ctx.channel(), words[1]);
                case "unsub" -> topics.unsubscribe(ctx.channel(), words[1]);
                case "pub" -> topics.publish(words[1], MessageType.STRING,
                        content.slice(content.readerIndex() + utf8Length(words[0] + " " + words[1] + " "),
                                utf8Length(words[2])));
                case "all" -> topics.publishToAll(MessageType.STRING,
                        content.slice(content.readerIndex() + 4, content.readableBytes() - 4));
                default -> throw new IllegalArgumentException(command);
            }
            ctx.writeAndFlush(WebSocketFrame.text("ok " + command));
        }

        private int utf8Length(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
