package dev.wsnetty.spi;

import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.WebSocketProtocol;

import java.util.Objects;

/**
 * The stream of {@code writeMessage(PING, PONG or CLOSE)}: collects at most 125 payload bytes and sends them as
 * one control frame on {@link #close()}.
 */
final class ControlFrameOutputStream extends MessageOutputStream {
    private final QueuedCommunicator owner;
    private final MessageType type;
    private final byte[] payload = new byte[WebSocketProtocol.MAX_CONTROL_PAYLOAD];
    private int count;
    private boolean closed;

    ControlFrameOutputStream(QueuedCommunicator owner, MessageType type) {
        this.owner = owner;
        this.type = type;
    }

    @Override
    public MessageType messageType() {
        return type;
    }

    @Override
    public void write(int b) {
        ensureRoom(1);
        payload[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureRoom(len);
        System.arraycopy(b, off, payload, count, len);
        count += len;
    }

    /** Sends nothing: the frame goes out on {@link #close()}. */
    @Override
    public void flush() {
    }

    /** Sends the frame; later calls do nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.sendControl(type, payload, 0, count);
        }
    }

    private void ensureRoom(int len) {
        if (closed) {
            throw new IllegalStateException("this message stream is closed; open a new one with writeMessage");
        }
        if (len > payload.length - count) {
            throw new IllegalArgumentException(type + " payload would be " + ((long) count + len)
                    + " bytes; a control frame carries at most " + payload.length);
        }
    }
}
