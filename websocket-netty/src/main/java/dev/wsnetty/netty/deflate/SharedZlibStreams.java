package dev.wsnetty.netty.deflate;

import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayDeque;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The zlib streams of one event-loop thread that its connections borrow for one message at a time, where the agreed
 * parameters say a direction keeps no context between messages (all of {@code CompressionMode.LEAN}): such a stream
 * holds nothing a later message needs, so a connection returns it, reset, when its message ends, and an idle
 * connection holds none. A message that arrives over several reads keeps its stream meanwhile, so a thread may lend
 * several at once; it keeps at most {@value #MAX_IDLE} of each kind (and deflate level) for the next messages and ends
 * the rest, so the native memory a thread keeps is bounded (a deflate stream at level 6 is about 256 KiB, an inflate
 * stream about 40 KiB).
 *
 * <p>Thread-confined: only the thread that owns it touches it ({@link #current()}), so no locks. Streams left when
 * the thread ends are ended.
 *
 * <p>Besides the deflaters of each level there are Huffman-only deflaters ({@link Deflater#HUFFMAN_ONLY}), for a
 * peer that limits our window below 15 bits: they encode every byte as a literal, refer back to nothing, and so
 * suit any window, which {@link Deflater} cannot shrink.
 */
final class SharedZlibStreams {
    /** Idle streams of each kind (and level) a thread keeps. */
    static final int MAX_IDLE = 4;

    private static final FastThreadLocal<SharedZlibStreams> STREAMS = new FastThreadLocal<>() {
        @Override
        protected SharedZlibStreams initialValue() {
            return new SharedZlibStreams();
        }

        @Override
        protected void onRemoval(SharedZlibStreams streams) {
            streams.endAll();
        }
    };

    /** The slot of {@link #deflaters} for Huffman-only deflaters; levels use slots 1 to 9. */
    private static final int HUFFMAN_ONLY_SLOT = 0;

    private final ArrayDeque<Inflater> inflaters = new ArrayDeque<>(MAX_IDLE);
    /**
     * Idle deflaters by level (slots 1 to 9), Huffman-only ones in {@link #HUFFMAN_ONLY_SLOT}; a slot's queue is made
     * on its first return.
     */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Deflater>[] deflaters = new ArrayDeque[Deflater.BEST_COMPRESSION + 1];

    private SharedZlibStreams() {
    }

    /** The calling thread's streams. */
    static SharedZlibStreams current() {
        return STREAMS.get();
    }

    /** A raw inflate stream (no zlib header) at its start: an idle one, or a new one. */
    Inflater borrowInflater() {
        Inflater inflater = inflaters.pollFirst();
        return inflater != null ? inflater : new Inflater(true);
    }

    /** Takes back a borrowed inflater: reset for the next message, or ended when enough are idle. */
    void giveBack(Inflater inflater) {
        if (inflaters.size() < MAX_IDLE) {
            inflater.reset();
            inflaters.addFirst(inflater);
        } else {
            inflater.end();
        }
    }

    /** A raw deflate stream (no zlib header) of {@code level} at its start: an idle one, or a new one. */
    Deflater borrowDeflater(int level) {
        Deflater deflater = idle(level);
        return deflater != null ? deflater : new Deflater(level, true);
    }

    /**
     * A raw deflate stream at its start that only Huffman-codes literals (no back-references, so any window size
     * fits): an idle one, or a new one.
     */
    Deflater borrowHuffmanOnlyDeflater() {
        Deflater deflater = idle(HUFFMAN_ONLY_SLOT);
        if (deflater == null) {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        }
        return deflater;
    }

    private Deflater idle(int slot) {
        ArrayDeque<Deflater> idle = deflaters[slot];
        return idle != null ? idle.pollFirst() : null;
    }

    /** Takes back a borrowed deflater of {@code level}: reset for the next message, or ended when enough are idle. */
    void giveBack(Deflater deflater, int level) {
        giveBackToSlot(deflater, level);
    }

    /** Takes back a borrowed Huffman-only deflater, as {@link #giveBack(Deflater, int)}. */
    void giveBackHuffmanOnly(Deflater deflater) {
        giveBackToSlot(deflater, HUFFMAN_ONLY_SLOT);
    }

    private void giveBackToSlot(Deflater deflater, int slot) {
        ArrayDeque<Deflater> idle = deflaters[slot];
        if (idle == null) {
            idle = deflaters[slot] = new ArrayDeque<>(MAX_IDLE);
        }
        if (idle.size() < MAX_IDLE) {
            deflater.reset();
            idle.addFirst(deflater);
        } else {
            deflater.end();
        }
    }

    /** Idle inflaters kept, for tests. */
    int idleInflaters() {
        return inflaters.size();
    }

    /** Idle deflaters of every level (and Huffman-only) kept, for tests. */
    int idleDeflaters() {
        int n = 0;
        for (ArrayDeque<Deflater> idle : deflaters) {
            n += idle != null ? idle.size() : 0;
        }
        return n;
    }

    private void endAll() {
        inflaters.forEach(Inflater::end);
        inflaters.clear();
        for (ArrayDeque<Deflater> idle : deflaters) {
            if (idle != null) {
                idle.forEach(Deflater::end);
                idle.clear();
            }
        }
    }
}
