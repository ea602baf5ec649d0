package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The handler an endpoint adds after the upgrade: records what reaches the end of the pipeline. */
final class Received extends ChannelInboundHandlerAdapter {
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final List<String> texts = new ArrayList<>();

    @Override
    public synchronized void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf) {
                raw.writeBytes(ByteBufUtil.getBytes((ByteBuf) msg));
            } else if (msg instanceof WebSocketFrame && ((WebSocketFrame) msg).isText()) {
                texts.add(((WebSocketFrame) msg).text());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        notifyAll();
    }

    /**
     * Waits until exactly one decoded text frame, {@code text}, has arrived, and checks that no raw bytes
     * got past the frame decoder.
     */
    synchronized void awaitText(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestServer.TIMEOUT_SECONDS);
        while (texts.isEmpty() && raw.size() == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no frame received within " + TestServer.TIMEOUT_SECONDS + " s");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        assertArrayEquals(new byte[0], raw.toByteArray(), "raw bytes passed the frame decoder");
        assertEquals(List.of(text), texts);
    }
}
