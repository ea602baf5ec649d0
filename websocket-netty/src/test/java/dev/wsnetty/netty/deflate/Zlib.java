package dev.wsnetty.netty.deflate;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** What a test peer does with java.util.zip to speak permessage-deflate by hand (RFC 7692 §7.2). */
final class Zlib {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private Zlib() {
    }

    /** A new raw deflate stream at level 6, as a peer's compressor. */
    static Deflater deflater() {
        return new Deflater(6, true);
    }

    /** A new raw inflate stream, as a peer's decompressor. */
    static Inflater inflater() {
        return new Inflater(true);
    }

    /** {@code data} compressed on its own and ended with a sync flush, without the final 00 00 ff ff. */
    static byte[] compressMessage(byte[] data) {
        Deflater d = deflater();
        try {
            return compressMessage(d, data);
        } finally {
            d.end();
        }
    }

    /** The next message of {@code d}'s stream (context takeover), without the final 00 00 ff ff. */
    static byte[] compressMessage(Deflater d, byte[] data) {
        byte[] flushed = compressPart(d, data);
        assert endsWithTail(flushed);
        return Arrays.copyOf(flushed, flushed.length - TAIL.length);
    }

    /** The next part of a message in {@code d}'s stream, ended with a sync flush (tail included). */
    static byte[] compressPart(Deflater d, byte[] data) {
        d.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
        return out.toByteArray();
    }

    /** A compressed message's payload inflated on its own. */
    static byte[] inflateMessage(byte[] payload) {
        Inflater i = inflater();
        try {
            return inflateMessage(i, payload);
        } finally {
            i.end();
        }
    }

    /** The next message of {@code i}'s stream: the payload with the 00 00 ff ff the sender removed. */
    static byte[] inflateMessage(Inflater i, byte[] payload) {
        byte[] input = Arrays.copyOf(payload, payload.length + TAIL.length);
        System.arraycopy(TAIL, 0, input, payload.length, TAIL.length);
        i.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            do {
                n = i.inflate(buf);
                out.write(buf, 0, n);
            } while (n > 0);
        } catch (DataFormatException e) {
            throw new AssertionError("not deflate data", e);
        }
        return out.toByteArray();
    }

    private static boolean endsWithTail(byte[] b) {
        return b.length >= 4 && Arrays.equals(b, b.length - 4, b.length, TAIL, 0, 4);
    }
}
