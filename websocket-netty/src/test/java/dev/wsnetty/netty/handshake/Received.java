package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
     * Waits until the client's frame {@code frameBytes} (text {@code text}) has arrived: as the exact
     * bytes while the frame decoder passes bytes through, or as one decoded text frame once it decodes.
     */
    synchronized void awaitFrame(byte[] frameBytes, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestServer.TIMEOUT_SECONDS);
        while (!Arrays.equals(raw.toByteArray(), frameBytes) && !texts.equals(List.of(text))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected frame not received; bytes " + Arrays.toString(raw.toByteArray()) + ", texts " + texts);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
