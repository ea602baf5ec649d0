package dev.wsnetty.netty.handshake;

import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.testing.EventRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An endpoint that records, as events in the test's {@link EventRecorder}, where and with what its hooks ran
 * ({@link Accepted}, {@link Opened}) and, through a handler it adds after the upgrade, what reaches the end of the
 * pipeline: decoded text frames ({@link Text}) and raw bytes that got past the frame decoder ({@link RawBytes},
 * which no test expects). A test asserts each event; the recorder fails it for any left over.
 */
class RecordingEndpoint implements WebSocketEndpoint {
    /** {@link #accept} ran on this thread for this request. */
    record Accepted(String thread, HandshakeRequest request) {
    }

    /** {@link #opened} ran, on the event loop or not, with this pipeline (Netty's tail left out) and subprotocol. */
    record Opened(boolean onEventLoop, List<String> pipeline, String subprotocol) {
    }

    /** A text frame reached the end of the pipeline. */
    record Text(String text) {
    }

    /** Bytes, in hex, reached the end of the pipeline undecoded. */
    record RawBytes(String hex) {
    }

    private final EventRecorder<Object> events;
    private final String[] responseHeaders;

    /**
     * @param events          where the events go
     * @param responseHeaders name, value, name, value... to add in {@code accept}
     */
    RecordingEndpoint(EventRecorder<Object> events, String... responseHeaders) {
        this.events = events;
        this.responseHeaders = responseHeaders;
    }

    @Override
    public boolean accept(HandshakeRequest request, HttpHeaders headers) {
        events.record(new Accepted(Thread.currentThread().getName(), request));
        for (int i = 0; i < responseHeaders.length; i += 2) {
            headers.add(responseHeaders[i], responseHeaders[i + 1]);
        }
        return true;
    }

    @Override
    public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
        events.record(new Opened(channel.eventLoop().inEventLoop(), names(channel), subprotocol));
        channel.pipeline().addLast("received", new Received());
    }

    /** Takes the next event, which must be an {@link Accepted}. */
    Accepted accepted() {
        return events.next(Accepted.class);
    }

    /** Takes the next event, which must be an {@link Opened}. */
    Opened opened() {
        return events.next(Opened.class);
    }

    /** Takes the next event, which must be the text frame {@code text} (not raw bytes). */
    void assertReceived(String text) {
        events.assertNext(new Text(text));
    }

    /** Takes the events of a handshake accepted and upgraded, on the event loop, with no subprotocol. */
    void assertUpgraded() {
        accepted();
        Opened opened = opened();
        assertEquals(true, opened.onEventLoop(), "opened on the event loop");
        assertEquals(null, opened.subprotocol(), "no subprotocol");
    }

    /** The pipeline's handler names without Netty's tail. */
    static List<String> names(Channel channel) {
        return channel.pipeline().names().stream().filter(n -> !n.contains("TailContext"))
                .collect(Collectors.toList());
    }

    /** Records what reaches the end of the pipeline, and releases it. */
    private final class Received extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf) {
                    events.record(new RawBytes(ByteBufUtil.hexDump((ByteBuf) msg)));
                } else if (msg instanceof WebSocketFrame && ((WebSocketFrame) msg).isText()) {
                    events.record(new Text(((WebSocketFrame) msg).text()));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
