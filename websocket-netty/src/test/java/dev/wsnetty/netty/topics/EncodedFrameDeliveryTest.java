package dev.wsnetty.netty.topics;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.EncodedFrame;
import dev.wsnetty.netty.codec.FrameEncoder;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.protocol.CloseHandshakeStartedException;
import dev.wsnetty.netty.protocol.ProtocolHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path of a topic frame through a channel's handlers ({@link EncodedFrame}): a server channel writes its bytes
 * as they are; once a Close was sent it refuses one (released, promise failed) and a topic delivery then raises no
 * exception event in the handlers; a client channel, which must mask, refuses one. On {@link EmbeddedChannel}s:
 * their event loop runs the topics' delivery task when the test runs pending tasks.
 */
class EncodedFrameDeliveryTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final List<Throwable> exceptions = new ArrayList<>();

    @AfterEach
    void nothingLeftOver() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        assertEquals(List.of(), exceptions, "exceptions that reached the handlers");
    }

    @Test
    void aServerChannelWritesTheEncodedBytesAsTheyAre() {
        EmbeddedChannel ch = server();
        ByteBuf frame = EncodedFrame.encodeText(ByteBufAllocator.DEFAULT, "Hello");
        ChannelFuture write = ch.writeAndFlush(new EncodedFrame(frame));
        assertTrue(write.isSuccess());
        assertArrayEquals(ByteBufUtil.decodeHexDump("810548656c6c6f"), drain(ch)); // RFC 6455 §5.7
    }

    @Test
    void anEncodedFrameWrittenAfterTheCloseIsRefusedAndReleased() {
        EmbeddedChannel ch = server();
        ch.writeAndFlush(WebSocketFrame.close(1001, "going"));
        drain(ch);
        ByteBuf frame = EncodedFrame.encodeText(ByteBufAllocator.DEFAULT, "late");
        ChannelFuture write = ch.writeAndFlush(new EncodedFrame(frame));
        assertInstanceOf(CloseHandshakeStartedException.class, write.cause());
        assertEquals(0, frame.refCnt(), "released");
        assertArrayEquals(new byte[0], drain(ch), "nothing after the Close");
    }

    @Test
    void aTopicMessageToAChannelThatSentItsCloseRaisesNoExceptionEvent() {
        EmbeddedChannel ch = server();
        ChannelTopics topics = new ChannelTopics();
        assertTrue(topics.subscribe(ch, "room"));
        topics.publish("room", "before");
        ch.runPendingTasks();
        assertArrayEquals(ByteBufUtil.decodeHexDump("8106" + "6265666f7265"), drain(ch)); // FIN text, 6 bytes: "before"

        ch.writeAndFlush(WebSocketFrame.close(1000, ""));
        drain(ch);
        topics.publish("room", "after the Close");
        topics.publish("room", new byte[70_000]);
        ch.runPendingTasks();
        assertArrayEquals(new byte[0], drain(ch), "nothing after the Close");
        assertEquals(0, topics.slowSubscribersClosed());
    }

    @Test
    void aClientChannelRefusesAnEncodedFrame() {
        EmbeddedChannel ch = channel(new FrameEncoder(Role.CLIENT));
        ByteBuf frame = EncodedFrame.encode(ByteBufAllocator.DEFAULT, WebSocketProtocol.OPCODE_BINARY,
                new byte[] {1, 2, 3}, 0, 3);
        ChannelFuture write = ch.writeAndFlush(new EncodedFrame(frame));
        assertInstanceOf(IllegalStateException.class, write.cause());
        assertTrue(write.cause().getMessage().contains("must mask"), write.cause().getMessage());
        assertEquals(0, frame.refCnt(), "released");
        assertNull(ch.readOutbound());
    }

    @Test
    void encodingTakesOnlyWholeTextAndBinaryMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncodedFrame.encode(ByteBufAllocator.DEFAULT, WebSocketProtocol.OPCODE_PING, new byte[0], 0, 0));
        assertTrue(e.getMessage().startsWith("only text and binary messages are encoded whole"), e.getMessage());
    }

    /** A server's frame handlers, then a handler recording exception events. */
    private EmbeddedChannel server() {
        return channel(new FrameEncoder(Role.SERVER), new ProtocolHandler(WebSocketConfig.DEFAULT, Role.SERVER));
    }

    private EmbeddedChannel channel(ChannelHandler... handlers) {
        EmbeddedChannel ch = new EmbeddedChannel(handlers);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                exceptions.add(cause);
            }
        });
        channels.add(ch);
        return ch;
    }

    /** Everything written so far, as bytes; the outbound buffers are released. */
    private static byte[] drain(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object msg; (msg = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) msg;
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return out.toByteArray();
    }
}
