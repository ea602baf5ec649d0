package dev.wsnetty.netty.protocol;

import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.wsnetty.netty.protocol.ProtocolTestSupport.buf;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.received;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.releaseAll;
import static dev.wsnetty.netty.protocol.ProtocolTestSupport.written;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole messages out of fragments and pieces, with control frames passing through. */
class MessageAggregatorTest {
    private final List<ByteBuf> created = new ArrayList<>();
    private EmbeddedChannel ch = new EmbeddedChannel(new ProtocolHandler(WebSocketConfig.DEFAULT, Role.SERVER),
            new MessageAggregator());

    private ByteBuf track(ByteBuf buf) {
        created.add(buf);
        return buf;
    }

    @AfterEach
    void noLeaks() {
        ch.finishAndReleaseAll();
        for (ByteBuf b : created) {
            assertEquals(0, b.refCnt(), "a piece was not released");
        }
    }

    @Test
    void fragmentedTextBecomesOneMessageWithControlFramesPassingThroughFirst() {
        WebSocketFrame pong = WebSocketFrame.pong(track(buf("pong")));
        ch.writeInbound(WebSocketFrame.text(track(buf("Hel")), false),
                WebSocketFrame.ping(track(buf("ping"))),
                WebSocketFrame.continuation(track(buf("lo, ")), false),
                pong,
                WebSocketFrame.continuation(track(buf("wörld")), true));

        List<WebSocketFrame> in = received(ch);
        assertEquals(2, in.size());
        assertSame(pong, in.get(0), "the pong is passed on at once, before the message is complete");
        WebSocketFrame message = in.get(1);
        assertTrue(message.isText());
        assertTrue(message.isFinal());
        assertEquals("Hello, wörld", message.text());
        assertInstanceOf(CompositeByteBuf.class, message.content(), "pieces are joined without copying");
        releaseAll(in);

        List<WebSocketFrame> out = written(ch);
        assertEquals(1, out.size());
        assertTrue(out.get(0).isPong(), "the ping in the middle was answered");
        releaseAll(out);
    }

    @Test
    void fragmentedBinaryBecomesOneMessage() {
        ch.writeInbound(WebSocketFrame.binary(track(Unpooled.wrappedBuffer(new byte[] {1, 2})), false),
                WebSocketFrame.continuation(track(Unpooled.wrappedBuffer(new byte[] {3})), false),
                WebSocketFrame.continuation(track(Unpooled.wrappedBuffer(new byte[] {4, 5})), true));

        WebSocketFrame message = ch.readInbound();
        assertTrue(message.isBinary());
        assertTrue(message.isFinal());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, ByteBufUtil.getBytes(message.content()));
        message.release();
    }

    @Test
    void singleFrameMessagePassesThroughUnchanged() {
        WebSocketFrame text = WebSocketFrame.text(track(buf("whole")), true);
        ch.writeInbound(text);
        assertSame(text, ch.readInbound());
        text.release();
    }

    @Test
    void emptyPiecesAreDroppedAndASingleRemainingPieceIsNotWrapped() {
        ByteBuf data = track(buf("data"));
        // As Autobahn sends it: the payload, then an empty final continuation frame.
        ch.writeInbound(WebSocketFrame.text(data, false),
                WebSocketFrame.continuation(track(Unpooled.buffer(0)), true));

        WebSocketFrame message = ch.readInbound();
        assertTrue(message.isText() && message.isFinal());
        assertSame(data, message.content());
        message.release();
    }

    @Test
    void emptyFirstPieceIsReplacedByTheFirstNonEmptyOne() {
        ByteBuf data = track(buf("x"));
        ch.writeInbound(WebSocketFrame.binary(track(Unpooled.buffer(0)), false),
                WebSocketFrame.continuation(data, true));

        WebSocketFrame message = ch.readInbound();
        assertTrue(message.isBinary());
        assertSame(data, message.content());
        message.release();
    }

    @Test
    void closeInTheMiddleOfAMessageIsPassedOnAndThePartialMessageReleased() {
        ch.writeInbound(WebSocketFrame.text(track(buf("fragment1")), false),
                WebSocketFrame.close(1000, ""));
        List<WebSocketFrame> in = received(ch);
        assertEquals(1, in.size());
        assertTrue(in.get(0).isClose());
        releaseAll(in);
        releaseAll(written(ch)); // the server's Close reply; TCP is closed, the partial message released
        assertEquals(0, created.get(0).refCnt());
    }

    @Test
    void partialMessageIsReleasedWhenTheHandlerIsRemoved() {
        ch.writeInbound(WebSocketFrame.binary(track(buf("a")), false),
                WebSocketFrame.continuation(track(buf("b")), false));
        ch.pipeline().remove(MessageAggregator.class);
        assertEquals(0, created.get(0).refCnt());
        assertEquals(0, created.get(1).refCnt());
    }

    @Test
    void manyPiecesStayCorrectBeyondTheComponentLimit() {
        int pieces = 3000;
        Object[] frames = new Object[pieces];
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            String s = Integer.toString(i % 10);
            expected.append(s);
            ByteBuf b = track(buf(s));
            frames[i] = i == 0 ? WebSocketFrame.text(b, false) : WebSocketFrame.continuation(b, i == pieces - 1);
        }
        ch.writeInbound(frames);
        WebSocketFrame message = ch.readInbound();
        assertEquals(expected.toString(), message.text());
        message.release();
    }
}
