package dev.wsnetty.netty.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Where encoders on one thread put small frames: a per-thread arena (a larger pooled buffer) into which
 * frames are written back to back, and the <em>run</em> of frames that one channel wrote there since its last
 * flush, which goes down the pipeline as a single buffer.
 *
 * <p>Why: taking a buffer from Netty's pooled allocator and releasing it again costs about 50 ns, most of what
 * encoding a small frame costs; and every buffer written is also a pipeline hop, an outbound-buffer entry with
 * its byte accounting and an iovec of the {@code writev} system call. An echo server answering a read of 32
 * small messages now writes one buffer instead of 32.
 *
 * <p>A run is handed on, as a retained slice of the arena written to its owner's context, when
 * <ul>
 *   <li>its frame's writer waits for the outcome (a promise that is not void): the run goes with that promise,
 *       which is right for every frame in it, as all before had void promises;</li>
 *   <li>its channel flushes, or writes anything that is not a small frame (so order is kept);</li>
 *   <li>it cannot grow in place: the arena is full, or another channel on the thread writes a frame;</li>
 *   <li>its encoder is removed (a closed channel's pipeline is torn down), so nothing is held back.</li>
 * </ul>
 * So at most one run per thread is open at a time, and its bytes, at most one arena of {@value #ARENA_BYTES}
 * bytes, are the only ones a channel's write buffer water marks do not see yet.
 *
 * <p>Only the thread that owns an arena writes to it (encoders run on their channel's event loop); the bytes of
 * a run are never written again once it is handed on, and a full arena is released by the thread and freed by
 * the allocator when its last slice is. Only for allocators that pool direct buffers: with any other
 * (unpooled allocators, tests counting allocations) every frame gets its own buffer, allocated as usual.
 */
final class FrameBuffers {
    /** Largest frame written into the arena; larger ones get their own buffer. */
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
    /** The context whose frames make up the open run, or null when no run is open. */
    private ChannelHandlerContext runOwner;
    private int runStart;
    /** The void promise of the run's frames, for the run's own write. */
    private ChannelPromise runPromise;

    private FrameBuffers() {
    }

    /** The calling thread's arena and run. */
    static FrameBuffers current() {
        return ARENAS.get();
    }

    /**
     * The arena, with room for a frame of {@code size} bytes at its writer index, which the caller writes there
     * for {@code ctx} and then reports with {@link #appended}; null when the frame needs a buffer of its own (it
     * is too large or the allocator does not pool direct buffers; the caller then {@linkplain #endRun ends} its
     * run first).
     */
    ByteBuf append(ChannelHandlerContext ctx, int size) {
        ByteBufAllocator alloc = ctx.alloc();
        if (size > MAX_CARVED || !alloc.isDirectBufferPooled()) {
            return null;
        }
        if (runOwner != null && runOwner != ctx) {
            handOn(runPromise);
        }
        ByteBuf a = arena;
        if (a == null || a.writableBytes() < size || a.alloc() != alloc) {
            drop(); // hands on the caller's own run first, if it has one
            a = arena = alloc.directBuffer(ARENA_BYTES, ARENA_BYTES);
        }
        if (runOwner == null) {
            runOwner = ctx;
            runStart = a.writerIndex();
        }
        return a;
    }

    /**
     * Records the frame just written into the arena (after {@link #append}); the run is handed on at once when
     * {@code promise} is not void, with that promise.
     */
    void appended(ChannelPromise promise) {
        if (promise.isVoid()) {
            if (runPromise == null) {
                runPromise = promise;
            }
        } else {
            handOn(promise);
        }
    }

    /** Hands on the run of {@code ctx}, if it has one open. Call on {@code ctx}'s event loop. */
    void endRun(ChannelHandlerContext ctx) {
        if (runOwner == ctx) {
            handOn(runPromise);
        }
    }

    private void handOn(ChannelPromise promise) {
        ChannelHandlerContext owner = runOwner;
        ByteBuf run = arena.retainedSlice(runStart, arena.writerIndex() - runStart);
        runOwner = null;
        runPromise = null;
        owner.write(run, promise);
    }

    private void drop() {
        if (runOwner != null) {
            handOn(runPromise);
        }
        if (arena != null) {
            arena.release();
            arena = null;
        }
    }
}
