package dev.wsnetty.netty.internal.codec;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/** Borrowed NIO views of {@link ByteBuf} contents for the word-at-a-time loops of the codec. */
final class NioViews {
    private NioViews() {
    }

    /**
     * The bytes {@code [index, index + length)} of {@code buf} as the {@code [position, limit)} of a NIO
     * buffer, or {@code null} when {@code buf} has no single NIO view (a composite, for example).
     *
     * <p>The view belongs to the buffer: it is valid until the next call on the same buffer (or a buffer
     * derived from it) and must be left as it was found, byte order included. Roots cache their view,
     * while derived buffers build a new one per call; so this asks the buffer at the bottom of any chain
     * of duplicates and wrappers, whose indices are the same (same capacity, hence no offset).
     */
    static ByteBuffer view(ByteBuf buf, int index, int length) {
        ByteBuf target = buf;
        for (ByteBuf parent = target.unwrap(); parent != null && parent.capacity() == target.capacity();
                parent = target.unwrap()) {
            target = parent;
        }
        return target.nioBufferCount() == 1 ? target.internalNioBuffer(index, length) : null;
    }
}
