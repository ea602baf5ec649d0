package dev.wsnetty.netty.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Output buffers for small frames (a header, with or without a copied payload), carved one after the
 * other from a larger pooled buffer that each thread keeps, as retained slices.
 *
 * <p>Taking a buffer from Netty's pooled allocator and releasing it again costs about 50 ns, most of what
 * encoding a small frame costs; a slice of a buffer already at hand costs about half. Only the thread
 * that owns the arena carves from it (encoders run on their channel's event loop), the bytes of a slice
 * are never written again once it is handed out, and a full arena is released by the thread and freed
 * by the allocator when its last slice is. So a thread holds at most one arena of {@value #ARENA_BYTES}
 * bytes, plus the full ones whose slices are still queued for a socket.
 *
 * <p>Only for allocators that pool direct buffers: with any other (unpooled allocators, tests counting
 * allocations) each buffer is allocated as usual.
 */
final class FrameBuffers {
    /** Largest buffer carved from the arena; larger ones are allocated as usual. */
    static final int MAX_CARVED = 2048;
    private static final int ARENA_BYTES = 16 * 1024;

    private static final FastThreadLocal<FrameBuffers> ARENAS = new FastThreadLocal<>() {
        @Override
        protected FrameBuffers initialValue() {
            return new FrameBuffers();
        }

        @Override
        protected void onRemoval(FrameBuffers buffers) {
            buffers.drop(); // the thread ends: its arena goes back to the pool once its slices are done
        }
    };

    private ByteBuf arena;

    private FrameBuffers() {
    }

    /** An empty buffer with room for exactly {@code size} bytes. */
    static ByteBuf buffer(ByteBufAllocator alloc, int size) {
        if (size > MAX_CARVED || !alloc.isDirectBufferPooled()) {
            return alloc.buffer(size, size);
        }
        return ARENAS.get().carve(alloc, size);
    }

    private ByteBuf carve(ByteBufAllocator alloc, int size) {
        ByteBuf a = arena;
        if (a == null || a.writableBytes() < size || a.alloc() != alloc) {
            drop();
            a = arena = alloc.directBuffer(ARENA_BYTES, ARENA_BYTES);
        }
        int at = a.writerIndex();
        a.writerIndex(at + size);
        return a.retainedSlice(at, size).clear();
    }

    private void drop() {
        if (arena != null) {
            arena.release();
            arena = null;
        }
    }
}
