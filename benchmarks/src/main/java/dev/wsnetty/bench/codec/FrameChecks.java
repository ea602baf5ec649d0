package dev.wsnetty.bench.codec;

import dev.wsnetty.bench.wire.WireFrames;
import dev.wsnetty.netty.codec.WebSocketFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Checks, once and outside the measurement, that a codec under test really did the work being timed:
 * that the decoder produced the frame and the encoder the exact wire bytes. Each check releases the
 * captured messages and returns {@code null} when all is well, else what is wrong.
 */
public final class FrameChecks {
    private FrameChecks() {
    }

    /**
     * Checks decoder output: one or more frames (Netty's or ours) whose payloads together are
     * {@code payload}, the first with {@code opcode}, the last final.
     */
    public static String decoded(List<Object> out, int opcode, byte[] payload) {
        try {
            if (out.isEmpty()) {
                return "the decoder passed nothing on";
            }
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int i = 0; i < out.size(); i++) {
                Object msg = out.get(i);
                int frameOpcode;
                boolean fin;
                ByteBuf content;
                if (msg instanceof io.netty.handler.codec.http.websocketx.WebSocketFrame) {
                    io.netty.handler.codec.http.websocketx.WebSocketFrame f =
                            (io.netty.handler.codec.http.websocketx.WebSocketFrame) msg;
                    frameOpcode = nettyOpcode(f);
                    fin = f.isFinalFragment();
                    content = f.content();
                } else if (msg instanceof dev.wsnetty.netty.codec.WebSocketFrame) {
                    dev.wsnetty.netty.codec.WebSocketFrame f = (dev.wsnetty.netty.codec.WebSocketFrame) msg;
                    frameOpcode = f.opcode();
                    fin = f.isFinal();
                    content = f.content();
                } else {
                    return "the decoder passed on " + msg.getClass().getName()
                            + " instead of a frame (is it still the stub?)";
                }
                if (i == 0 && frameOpcode != opcode) {
                    return "opcode " + frameOpcode + ", expected " + opcode;
                }
                if (fin != (i == out.size() - 1)) {
                    return "FIN " + fin + " on piece " + (i + 1) + " of " + out.size();
                }
                joined.writeBytes(ByteBufUtil.getBytes(content));
            }
            return samePayload(joined.toByteArray(), payload);
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    /**
     * Checks encoder output: the buffers passed on, joined, are exactly one frame with {@code opcode},
     * FIN, no RSV bits, masked exactly when {@code masked}, carrying {@code payload}.
     */
    public static String encoded(List<Object> out, int opcode, boolean masked, byte[] payload) {
        try {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Object msg : out) {
                if (!(msg instanceof ByteBuf)) {
                    return "the encoder passed on " + msg.getClass().getName()
                            + " instead of bytes (is it still the stub?)";
                }
                joined.writeBytes(ByteBufUtil.getBytes((ByteBuf) msg));
            }
            WireFrames.Frame frame;
            try {
                frame = WireFrames.parse(joined.toByteArray());
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return "the encoder's bytes are not one frame: " + e.getMessage();
            }
            if (frame.opcode() != opcode || !frame.fin() || frame.rsv() != 0 || frame.masked() != masked) {
                return "header opcode=" + frame.opcode() + " fin=" + frame.fin() + " rsv=" + frame.rsv()
                        + " masked=" + frame.masked() + ", expected opcode=" + opcode + " fin rsv=0 masked=" + masked;
            }
            return samePayload(frame.payload(), payload);
        } finally {
            out.forEach(ReferenceCountUtil::release);
        }
    }

    private static String samePayload(byte[] actual, byte[] expected) {
        if (Arrays.equals(actual, expected)) {
            return null;
        }
        return "payload differs: " + actual.length + " bytes, expected " + expected.length
                + (actual.length == expected.length ? " (same length, different bytes)" : "");
    }

    private static int nettyOpcode(io.netty.handler.codec.http.websocketx.WebSocketFrame f) {
        if (f instanceof io.netty.handler.codec.http.websocketx.TextWebSocketFrame) {
            return WireFrames.TEXT;
        }
        if (f instanceof io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame) {
            return WireFrames.BINARY;
        }
        if (f instanceof io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame) {
            return 0;
        }
        return -1;
    }
}
