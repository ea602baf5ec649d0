package dev.wsnetty.netty.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;

/** What a pipeline under fuzzing wrote to its socket, taken out of the {@link EmbeddedChannel} as bytes. */
final class Writes {
    private Writes() {
    }

    /** Moves every outbound buffer's bytes into {@code written}, releasing each buffer. */
    static void drainInto(EmbeddedChannel channel, ByteArrayOutputStream written) {
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            try {
                ByteBuf buf = (ByteBuf) msg;
                byte[] bytes = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                written.writeBytes(bytes);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
