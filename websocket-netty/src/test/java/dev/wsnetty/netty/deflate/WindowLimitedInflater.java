package dev.wsnetty.netty.deflate;

import dev.wsnetty.netty.testing.PythonWebsockets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A real zlib inflater limited to a window below 15 bits, which {@link java.util.zip.Inflater} cannot be: CPython's
 * {@code zlib.decompressobj(-bits)}, run per call. It inflates in pieces of 64 bytes, so that what a distance
 * refers to must come from its window rather than from a larger output buffer (zlib checks distances against the
 * window only), and so refuses data that refers further back than the window ("invalid distance too far back"), as
 * a peer that keeps only that window must.
 */
final class WindowLimitedInflater {
    private static final String SCRIPT = String.join("\n",
            "import sys, zlib",
            "d = zlib.decompressobj(-int(sys.argv[1]))",
            "data, out = sys.stdin.buffer.read() + b'\\x00\\x00\\xff\\xff', b''",
            "try:",
            "    while True:",
            "        piece = d.decompress(data, 64)",
            "        out, data = out + piece, d.unconsumed_tail",
            "        if not piece and not data:",
            "            break",
            "except zlib.error as e:",
            "    sys.stderr.write(str(e))",
            "    sys.exit(1)",
            "sys.stdout.buffer.write(out)");
    private static final long LIMIT_SECONDS = 30;

    private WindowLimitedInflater() {
    }

    /** Why the inflater cannot run here, or null when it can. */
    static String whyUnavailable() {
        return new java.io.File(PythonWebsockets.PYTHON).canExecute() ? null : PythonWebsockets.PYTHON
                + " is not installed";
    }

    /**
     * Inflates one compressed message's payload (without its final {@code 00 00 ff ff}) with a window of
     * {@code windowBits}.
     *
     * @throws DataRefused if zlib refuses the data, with zlib's reason
     */
    static byte[] inflate(int windowBits, byte[] payload) throws IOException, InterruptedException {
        Process python = new ProcessBuilder(PythonWebsockets.PYTHON, "-c", SCRIPT, String.valueOf(windowBits))
                .start();
        try (OutputStream in = python.getOutputStream()) {
            in.write(payload);
        }
        byte[] out = python.getInputStream().readAllBytes();
        String error = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            throw new AssertionError("python's zlib did not finish within " + LIMIT_SECONDS + " s");
        }
        if (python.exitValue() != 0) {
            throw new DataRefused(error);
        }
        return out;
    }

    /** zlib refused the data; the message is zlib's reason. */
    static final class DataRefused extends RuntimeException {
        DataRefused(String reason) {
            super(reason);
        }
    }
}
