package dev.wsnetty.netty.codec;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.hex;
import static dev.wsnetty.netty.testing.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameEncoderTest {
    private static final int[] SIZES = {0, 1, 8, 125, 126, 127, 1024, 1025, 65535, 65536, 100000};

    private final TrackingAllocator allocator = new TrackingAllocator(true);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    private EmbeddedChannel encoder(Role role) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(allocator);
        ch.pipeline().addLast(new FrameEncoder(role));
        channels.add(ch);
        return ch;
    }

    @AfterEach
    void noLeaks() {
        for (EmbeddedChannel ch : channels) {
            assertFalse(ch.finishAndReleaseAll(), "every output was read by the test");
        }
        allocator.assertAllReleased();
    }

    /** Everything written so far, as bytes; the outbound buffers are released. */
    private static byte[] drain(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return out.toByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void rfc6455ExamplesFromAServer() {
        EmbeddedChannel ch = encoder(Role.SERVER);
        ch.writeAndFlush(WebSocketFrame.text("Hello"));
        assertArrayEquals(hex("810548656c6c6f"), drain(ch));
        ch.writeAndFlush(WebSocketFrame.text(Unpooled.copiedBuffer(utf8("Hel")), false));
        ch.writeAndFlush(WebSocketFrame.continuation(Unpooled.copiedBuffer(utf8("lo")), true));
        assertArrayEquals(hex("010348656c80026c6f"), drain(ch));
        ch.writeAndFlush(WebSocketFrame.ping(Unpooled.copiedBuffer(utf8("Hello"))));
        assertArrayEquals(hex("890548656c6c6f"), drain(ch));
        byte[] b256 = random(256, 1);
        ch.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(b256)));
        assertArrayEquals(concat(hex("827e0100"), b256), drain(ch));
        byte[] b64k = random(65536, 2);
        ch.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(b64k)));
        assertArrayEquals(concat(hex("827f0000000000010000"), b64k), drain(ch));
        ch.writeAndFlush(WebSocketFrame.close(1000, "bye"));
        assertArrayEquals(hex("880503e8627965"), drain(ch));
    }

    @Test
    void serverFramesAtEveryLengthForm() {
        EmbeddedChannel ch = encoder(Role.SERVER);
        for (int size : SIZES) {
            for (int opcode : new int[] {WebSocketProtocol.OPCODE_TEXT, WebSocketProtocol.OPCODE_BINARY, WebSocketProtocol.OPCODE_CONTINUATION}) {
                for (boolean fin : new boolean[] {true, false}) {
                    byte[] payload = random(size, size);
                    ByteBuf content = Unpooled.directBuffer(size).writeBytes(payload);
                    ChannelFuture f = ch.writeAndFlush(new WebSocketFrame(opcode, fin, content));
                    assertTrue(f.isSuccess());
                    if (size > FrameEncoder.COPY_THRESHOLD) {
                        ByteBuf header = ch.readOutbound();
                        ByteBuf body = ch.readOutbound();
                        assertSame(content, body, "a large payload is written as it is, not copied");
                        byte[] wire = concat(ByteBufUtil.getBytes(header), ByteBufUtil.getBytes(body));
                        header.release();
                        body.release();
                        assertArrayEquals(Frames.frame((fin ? 0x80 : 0) | opcode, payload, false, 0), wire);
                        assertNull(ch.readOutbound());
                    } else {
                        ByteBuf one = ch.readOutbound();
                        assertNull(ch.readOutbound(), "header and a small payload go out as one buffer");
                        assertArrayEquals(Frames.frame((fin ? 0x80 : 0) | opcode, payload, false, 0), ByteBufUtil.getBytes(one));
                        one.release();
                        assertEquals(0, content.refCnt(), "the copied payload is released");
                    }
                }
            }
        }
    }

    @Test
    void clientFramesAreMaskedWithTheKeyInTheirHeader() {
        EmbeddedChannel ch = encoder(Role.CLIENT);
        for (int size : SIZES) {
            byte[] payload = random(size, size);
            ByteBuf content = Unpooled.directBuffer(size).writeBytes(payload);
            assertTrue(ch.writeAndFlush(WebSocketFrame.binary(content)).isSuccess());
            ByteBuf out = ch.readOutbound();
            assertNull(ch.readOutbound(), "header and masked payload in one buffer");
            byte[] wire = ByteBufUtil.getBytes(out);
            out.release();
            assertEquals(0, content.refCnt());
            int lengthBytes = size <= 125 ? 0 : size <= 0xFFFF ? 2 : 8;
            int keyAt = 2 + lengthBytes;
            int key = (wire[keyAt] & 0xFF) << 24 | (wire[keyAt + 1] & 0xFF) << 16 | (wire[keyAt + 2] & 0xFF) << 8 | wire[keyAt + 3] & 0xFF;
            // The same bytes as an independent encoder produces with that key: minimal length, mask bit, XOR.
            assertArrayEquals(Frames.frame(0x82, payload, true, key), wire, "size " + size);
        }
    }

    @Test
    void everyClientFrameGetsAFreshKey() {
        EmbeddedChannel ch = encoder(Role.CLIENT);
        Set<Integer> keys = new HashSet<>();
        for (int i = 0; i < 300; i++) { // more than one batch of keys
            ch.writeAndFlush(WebSocketFrame.text("x"));
            byte[] wire = drain(ch);
            keys.add((wire[2] & 0xFF) << 24 | (wire[3] & 0xFF) << 16 | (wire[4] & 0xFF) << 8 | wire[5] & 0xFF);
        }
        // 300 random 32-bit keys collide with probability about 1e-5; equal consecutive keys would show a bug.
        assertTrue(keys.size() >= 299, "keys repeat: " + keys.size() + " distinct of 300");
    }

    @Test
    void aSharedPayloadIsNeverModified() {
        for (Role role : Role.values()) {
            EmbeddedChannel ch = encoder(role);
            for (int size : new int[] {10, 1000, 5000}) {
                byte[] payload = random(size, 3);
                ByteBuf shared = Unpooled.directBuffer(size).writeBytes(payload);
                // A broadcast: two channels' worth of frames over one buffer.
                ch.write(WebSocketFrame.binary(shared.retainedDuplicate()));
                ch.writeAndFlush(WebSocketFrame.binary(shared.retainedDuplicate()));
                byte[] wire = drain(ch);
                assertEquals(2 * (size + (size <= 125 ? 2 : 4) + (role == Role.CLIENT ? 4 : 0)), wire.length);
                assertArrayEquals(payload, ByteBufUtil.getBytes(shared), role + " " + size);
                assertEquals(0, shared.readerIndex());
                assertEquals(1, shared.refCnt(), "both references given to the encoder were released");
                shared.release();
            }
        }
    }

    @Test
    void compositeAndHeapPayloadsAreMaskedCorrectly() {
        EmbeddedChannel ch = encoder(Role.CLIENT);
        byte[] payload = random(3001, 4);
        ByteBuf composite = Unpooled.compositeBuffer()
                .addComponent(true, Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(payload, 0, 1001)))
                .addComponent(true, Unpooled.directBuffer().writeBytes(payload, 1001, 2000));
        for (ByteBuf content : new ByteBuf[] {composite, Unpooled.wrappedBuffer(payload.clone())}) {
            ch.writeAndFlush(WebSocketFrame.binary(content));
            byte[] wire = drain(ch);
            int key = (wire[4] & 0xFF) << 24 | (wire[5] & 0xFF) << 16 | (wire[6] & 0xFF) << 8 | wire[7] & 0xFF;
            assertArrayEquals(Frames.frame(0x82, payload, true, key), wire);
            assertEquals(0, content.refCnt());
        }
    }

    @Test
    void oversizedControlFramesAreRefused() {
        for (Role role : Role.values()) {
            EmbeddedChannel ch = encoder(role);
            ByteBuf[] contents = {Unpooled.buffer().writeZero(126), Unpooled.buffer().writeZero(126),
                Unpooled.buffer().writeShort(1000).writeZero(124)};
            WebSocketFrame[] frames = {WebSocketFrame.ping(contents[0]), WebSocketFrame.pong(contents[1]),
                new WebSocketFrame(WebSocketProtocol.OPCODE_CLOSE, true, contents[2])};
            for (int i = 0; i < frames.length; i++) {
                ChannelFuture f = ch.writeAndFlush(frames[i]);
                assertInstanceOf(IllegalArgumentException.class, f.cause());
                assertTrue(f.cause().getMessage().contains("126 bytes"), f.cause().getMessage());
                assertEquals(0, contents[i].refCnt(), "a refused frame is released");
            }
            assertNull(ch.readOutbound());
            ch.writeAndFlush(WebSocketFrame.ping(Unpooled.buffer().writeZero(125)));
            assertEquals(2 + 125 + (role == Role.CLIENT ? 4 : 0), drain(ch).length, "125 bytes are fine");
        }
    }

    @Test
    void otherMessagesPassThroughUntouched() {
        EmbeddedChannel ch = encoder(Role.CLIENT);
        ByteBuf raw = Unpooled.copiedBuffer(utf8("raw"));
        ch.writeAndFlush(raw);
        Object out = ch.readOutbound();
        assertSame(raw, out);
        ReferenceCountUtil.release(out);
        ch.writeAndFlush("a string");
        assertEquals("a string", ch.readOutbound());
    }

    @Test
    void largeServerFrameWithAVoidPromise() {
        EmbeddedChannel ch = encoder(Role.SERVER);
        byte[] payload = random(5000, 5);
        ch.writeAndFlush(WebSocketFrame.binary(Unpooled.wrappedBuffer(payload)), ch.voidPromise());
        assertArrayEquals(Frames.frame(0x82, payload, false, 0), drain(ch));
    }

    @Test
    void failedLargeWriteFailsTheCallersPromiseOnlyAndLeaksNothing() {
        EmbeddedChannel ch = encoder(Role.SERVER);
        List<Throwable> exceptions = new ArrayList<>();
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
                promise.tryFailure(new IOException("connection reset"));
            }
        });
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                exceptions.add(cause);
            }
        });
        ByteBuf content = Unpooled.buffer().writeZero(5000);
        ChannelFuture f = ch.writeAndFlush(WebSocketFrame.binary(content));
        assertInstanceOf(IOException.class, f.cause());
        assertEquals(0, content.refCnt());
        assertTrue(exceptions.isEmpty(), "the header's write fails silently: " + exceptions);
    }
}
