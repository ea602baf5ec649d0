package dev.wsnetty.netty.codec;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.WebSocketConfig;
import dev.wsnetty.netty.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A {@link FrameDecoder} in an {@link EmbeddedChannel} with a handler behind it that records, in order,
 * every frame and every exception that comes out. Input is fed as raw bytes, cut into reads as the
 * {@link Feed} says, in buffers of the given {@link Kind}. {@link #close()} releases everything and
 * proves that no buffer leaked.
 */
final class DecoderHarness implements AutoCloseable {
    /** How the input bytes are cut into reads. */
    enum Feed {
        /** Each {@link #feed} call is one read. */
        WHOLE,
        /** One read per byte. */
        ONE_BYTE,
        /** Reads of random sizes (seeded). */
        RANDOM
    }

    /** What kind of buffer carries each read. */
    enum Kind {
        HEAP,
        DIRECT,
        /** Read-only: the decoder must copy instead of unmasking in place. */
        READ_ONLY,
        /** Two components: no single NIO view, so the slow paths run. */
        COMPOSITE
    }

    final EmbeddedChannel channel;
    final TrackingAllocator allocator;
    private final Feed feed;
    private final Kind kind;
    private final Random random;
    private final List<Object> received = new ArrayList<>();
    private final List<ByteBuf> inputs = new ArrayList<>();

    DecoderHarness(WebSocketConfig config, Role role, Feed feed, Kind kind) {
        this(config, role, feed, kind, 42);
    }

    DecoderHarness(WebSocketConfig config, Role role, Feed feed, Kind kind, long seed) {
        this.feed = feed;
        this.kind = kind;
        this.random = new Random(seed);
        this.allocator = new TrackingAllocator(kind != Kind.HEAP);
        channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(new FrameDecoder(config, role), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                received.add(cause);
            }
        });
    }

    /** Feeds {@code bytes}, cut into reads according to the harness's {@link Feed}. */
    void feed(byte[] bytes) {
        switch (feed) {
            case WHOLE:
                read(bytes);
                break;
            case ONE_BYTE:
                for (byte b : bytes) {
                    read(new byte[] {b});
                }
                break;
            default:
                for (int at = 0; at < bytes.length; ) {
                    int n = Math.min(bytes.length - at, random.nextInt(8) == 0 ? 1 + random.nextInt(3000) : 1 + random.nextInt(40));
                    read(Arrays.copyOfRange(bytes, at, at + n));
                    at += n;
                }
        }
    }

    /** Delivers {@code bytes} as exactly one read, whatever the feed. */
    void read(byte[] bytes) {
        ByteBuf buf = buffer(bytes);
        inputs.add(buf);
        channel.writeInbound(buf);
    }

    /** Delivers a buffer made by the test as one read (its release is checked by {@link #close()}). */
    void read(ByteBuf buf) {
        inputs.add(buf);
        channel.writeInbound(buf);
    }

    private ByteBuf buffer(byte[] bytes) {
        switch (kind) {
            case HEAP:
                return Unpooled.wrappedBuffer(bytes.clone());
            case DIRECT:
                return direct(bytes, 0, bytes.length);
            case READ_ONLY:
                return Unpooled.wrappedBuffer(bytes.clone()).asReadOnly();
            default:
                int half = bytes.length / 2;
                return Unpooled.wrappedBuffer(2,
                        Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, half)),
                        direct(bytes, half, bytes.length - half));
        }
    }

    /**
     * A direct buffer holding a copy of the bytes. Made without the leak detector's wrapper: at paranoid
     * level it records a stack trace per access, far too slow for inputs fed one byte per read (their
     * release is asserted by {@link #close()} instead).
     */
    static ByteBuf direct(byte[] bytes, int from, int length) {
        return new UnpooledDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, length, length).writeBytes(bytes, from, length);
    }

    /** The frames received so far, in order (still owned by the harness). */
    List<WebSocketFrame> frames() {
        List<WebSocketFrame> frames = new ArrayList<>();
        for (Object o : received) {
            if (o instanceof WebSocketFrame) {
                frames.add((WebSocketFrame) o);
            }
        }
        return frames;
    }

    /** Everything received, in order, including exceptions and pass-through messages. */
    List<Object> received() {
        return received;
    }

    /**
     * What came out, at message level: data pieces joined into messages ("text:68656c6c6f",
     * "binary:70000B#hash"), control frames ("ping:..", "close:.."), errors ("error:1002").
     */
    List<String> events() {
        List<String> events = new ArrayList<>();
        String messageKind = null;
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (Object o : received) {
            if (o instanceof WebSocketProtocolException) {
                events.add("error:" + ((WebSocketProtocolException) o).closeCode());
            } else if (o instanceof WebSocketFrame) {
                WebSocketFrame f = (WebSocketFrame) o;
                byte[] data = ByteBufUtil.getBytes(f.content());
                if (f.isControl()) {
                    events.add(WebSocketProtocol.opcodeName(f.opcode()) + ":" + show(data));
                    continue;
                }
                if (!f.isContinuation()) {
                    if (messageKind != null) {
                        events.add("unfinished:" + messageKind);
                    }
                    messageKind = WebSocketProtocol.opcodeName(f.opcode());
                    message.reset();
                } else if (messageKind == null) {
                    events.add("stray-continuation");
                    continue;
                }
                message.writeBytes(data);
                if (f.isFinal()) {
                    events.add(messageKind + ":" + show(message.toByteArray()));
                    messageKind = null;
                }
            } else {
                events.add("other:" + o);
            }
        }
        return events;
    }

    /** The single error the decoder reported; fails unless there is exactly one. */
    int errorCode() {
        List<Integer> codes = new ArrayList<>();
        for (Object o : received) {
            if (o instanceof WebSocketProtocolException) {
                codes.add(((WebSocketProtocolException) o).closeCode());
            }
        }
        assertEquals(1, codes.size(), () -> "expected exactly one error, got " + events());
        return codes.get(0);
    }

    /** The event string for a message or control frame with this payload. */
    static String show(byte[] data) {
        return data.length <= 64 ? HexFormat.of().formatHex(data) : data.length + "B#" + Arrays.hashCode(data);
    }

    /** Releases what came out, closes the channel and checks that no buffer is left unreleased. */
    @Override
    public void close() {
        for (Object o : received) {
            if (o instanceof WebSocketFrame) {
                ((WebSocketFrame) o).release();
            }
        }
        assertFalse(channel.finishAndReleaseAll(), "nothing may pass the capturing handler");
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(0, inputs.get(i).refCnt(), "input read #" + i + " was not released");
        }
        allocator.assertAllReleased();
    }
}
