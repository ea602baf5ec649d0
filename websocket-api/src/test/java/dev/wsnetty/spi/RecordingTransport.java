package dev.wsnetty.spi;

import dev.wsnetty.WebSocketClosedException;
import dev.wsnetty.testing.EventRecorder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fake transport for tests of the API layer that records every frame sent, every {@code sendClose} and every
 * reading switch, each in an {@link EventRecorder} of its own. Whatever a test does not assert fails it: as a
 * registered extension ({@code @RegisterExtension}) after each test, otherwise where the test calls
 * {@link #assertExhausted()}.
 */
public final class RecordingTransport implements Transport, AfterEachCallback {
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

    private final EventRecorder<Frame> frames = new EventRecorder<>("frame");
    private final EventRecorder<Close> closes = new EventRecorder<>("sendClose call");
    private final EventRecorder<Boolean> readingCalls = new EventRecorder<>("setReading call");
    private volatile boolean open = true;
    private volatile SendHook hook = (opcode, fin, data, off, len) -> { };

    /** The frame a test expects: a text payload in UTF-8. */
    public static Frame frame(int opcode, boolean fin, String text) {
        return new Frame(opcode, fin, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code hook} before each frame is recorded, on the sending thread. */
    public void setHook(SendHook hook) {
        this.hook = hook;
    }

    /** The frames sent, in order. */
    public EventRecorder<Frame> frames() {
        return frames;
    }

    /** The {@code sendClose} calls, in order. */
    public EventRecorder<Close> closes() {
        return closes;
    }

    /** The {@code setReading} calls' arguments, in order. */
    public EventRecorder<Boolean> readingCalls() {
        return readingCalls;
    }

    /** Fails the test when a frame, close or reading switch was recorded and not asserted. */
    public void assertExhausted() {
        frames.assertExhausted();
        closes.assertExhausted();
        readingCalls.assertExhausted();
    }

    /** As a registered extension: {@link #assertExhausted()} after each test. */
    @Override
    public void afterEach(ExtensionContext context) {
        assertExhausted();
    }

    @Override
    public void sendFrame(int opcode, boolean fin, byte[] data, int off, int len) {
        if (!open) {
            throw new WebSocketClosedException("fake transport is closed", null);
        }
        hook.beforeSend(opcode, fin, data, off, len);
        frames.record(new Frame(opcode, fin, Arrays.copyOfRange(data, off, off + len)));
    }

    @Override
    public void sendClose(int code, String reason) {
        open = false;
        closes.record(new Close(code, reason));
    }

    @Override
    public void setReading(boolean on) {
        readingCalls.record(on);
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
