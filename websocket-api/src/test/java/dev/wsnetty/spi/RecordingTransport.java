package dev.wsnetty.spi;

import dev.wsnetty.WebSocketClosedException;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A fake transport that records every frame, close and reading switch, for tests of the API layer. */
public final class RecordingTransport implements Transport {
    /** One frame as sent, with a copy of its payload. */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        /** The payload as UTF-8. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "(" + opcode + "," + (fin ? "fin" : "more") + "," + text() + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.opcode == opcode && f.fin == fin && Arrays.equals(f.payload, payload);
        }

        @Override
        public int hashCode() {
            return opcode * 31 + Arrays.hashCode(payload);
        }
    }

    /** A sendClose call. */
    public record Close(int code, String reason) {
    }

    /** What {@link #unwrap} hands out, standing in for a channel. */
    public record FakeChannel(String id) {
    }

    /** Runs before a frame is recorded; may throw to make the send fail. */
    public interface SendHook {
        void beforeSend(int opcode, boolean fin, byte[] data, int off, int len);
    }

    public final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 54321);
    public final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
    public final FakeChannel channel = new FakeChannel("fake-1");

    private final List<Frame> frames = new ArrayList<>();
    private final List<Close> closes = new ArrayList<>();
    private final List<Boolean> readingCalls = new ArrayList<>();
    private volatile boolean open = true;
    private volatile SendHook hook = (opcode, fin, data, off, len) -> { };

    public static Frame frame(int opcode, boolean fin, String text) {
        return new Frame(opcode, fin, text.getBytes(StandardCharsets.UTF_8));
    }

    public void setHook(SendHook hook) {
        this.hook = hook;
    }

    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    public synchronized List<Close> closes() {
        return List.copyOf(closes);
    }

    public synchronized List<Boolean> readingCalls() {
        return List.copyOf(readingCalls);
    }

    @Override
    public void sendFrame(int opcode, boolean fin, byte[] data, int off, int len) {
        if (!open) {
            throw new WebSocketClosedException("fake transport is closed", null);
        }
        hook.beforeSend(opcode, fin, data, off, len);
        synchronized (this) {
            frames.add(new Frame(opcode, fin, Arrays.copyOfRange(data, off, off + len)));
        }
    }

    @Override
    public synchronized void sendClose(int code, String reason) {
        closes.add(new Close(code, reason));
        open = false;
    }

    @Override
    public synchronized void setReading(boolean on) {
        readingCalls.add(on);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    /** What the tests agreed as subprotocol: "chat". */
    @Override
    public String subprotocol() {
        return "chat";
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(channel) ? type.cast(channel) : null;
    }
}
