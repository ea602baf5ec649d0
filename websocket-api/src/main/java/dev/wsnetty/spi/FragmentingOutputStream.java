package dev.wsnetty.spi;

import dev.wsnetty.MessageOutputStream;
import dev.wsnetty.MessageType;
import dev.wsnetty.WebSocketProtocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The stream of {@code writeMessage(STRING or BINARY, maxFrameLength)}: buffers up to {@code maxFrameLength}
 * bytes and sends the full buffer as a non-final frame only when more bytes arrive, so the last frame (sent on
 * {@link #close()}) is never empty unless the whole message is. The first frame carries the message opcode, the
 * others the continuation opcode. Holds the communicator's write lock from its first frame to its last.
 */
final class FragmentingOutputStream extends MessageOutputStream {
    private static final int INITIAL_BUFFER = 4096;

    private final QueuedCommunicator owner;
    private final MessageType type;
    private final int maxFrameLength;
    private byte[] buffer = new byte[0];
    private int count;
    private int framesSent;
    private boolean holdsLock;
    private boolean closed;

    FragmentingOutputStream(QueuedCommunicator owner, MessageType type, int maxFrameLength) {
        this.owner = owner;
        this.type = type;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public MessageType messageType() {
        return type;
    }

    @Override
    public void write(int b) {
        ensureOpen();
        owner.ensureWritable();
        if (count == maxFrameLength) {
            sendFragment();
        }
        ensureCapacity(count + 1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        owner.ensureWritable();
        while (len > 0) {
            if (count == maxFrameLength) {
                sendFragment();
            }
            int n = Math.min(len, maxFrameLength - count);
            ensureCapacity(count + n);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Sends nothing: fragment boundaries follow the buffer, not flushes (wrapping writers flush on close). */
    @Override
    public void flush() {
    }

    /** Sends the rest of the message with FIN set and releases the write lock; later calls do nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            send(true);
        } finally {
            owner.releaseWriteLock(this);
        }
    }

    private void sendFragment() {
        try {
            send(false);
        } catch (RuntimeException e) {
            closed = true;
            owner.releaseWriteLock(this);
            throw e;
        }
        count = 0;
    }

    private void send(boolean fin) {
        if (!holdsLock) {
            owner.acquireWriteLock(this);
            holdsLock = true;
        }
        int opcode = framesSent == 0 ? type.opcode() : WebSocketProtocol.OPCODE_CONTINUATION;
        try {
            owner.sendDataFrame(opcode, fin, buffer, 0, count);
        } catch (RuntimeException e) {
            if (framesSent > 0) {
                owner.abandonIncompleteMessage(e);
            }
            throw e;
        }
        framesSent++;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this message stream is closed; open a new one with writeMessage");
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int grown = Math.max(needed, Math.min(maxFrameLength, Math.max(INITIAL_BUFFER, buffer.length * 2)));
            buffer = Arrays.copyOf(buffer, grown);
        }
    }
}
