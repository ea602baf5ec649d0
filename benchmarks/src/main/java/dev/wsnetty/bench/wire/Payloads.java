package dev.wsnetty.bench.wire;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic message payloads shared by the micro-benchmarks and the load generator, so every run
 * of every implementation sees the same bytes.
 */
public final class Payloads {
    private static final byte[] ASCII_RECORD =
            "{\"id\":12345,\"user\":\"user-0042\",\"event\":\"message\",\"text\":\"hello, world\",\"ok\":true},"
                    .getBytes(StandardCharsets.US_ASCII);
    // Two JSON records whose non-ASCII characters (2- and 3-byte sequences) make up about 27% of the bytes.
    private static final byte[] MIXED_RECORD =
            ("{\"user\":\"Jörg Müller\",\"city\":\"Zürich–Genève\",\"note\":\"naïve café\",\"tag\":\"東京\"},"
                    + "{\"name\":\"Zoë Ångström\",\"city\":\"Tōkyō 東京\",\"note\":\"déjà vu, €5\"},")
                    .getBytes(StandardCharsets.UTF_8);

    private Payloads() {
    }

    /** {@code size} pseudo-random bytes from {@code seed}. */
    public static byte[] binary(int size, long seed) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** {@code size} bytes of JSON-like ASCII text (valid UTF-8 at any length). */
    public static byte[] asciiJson(int size) {
        return repeat(ASCII_RECORD, size);
    }

    /**
     * {@code size} bytes of JSON-like valid UTF-8 text with about a quarter of its bytes in multi-byte
     * sequences. The end is padded with ASCII spaces where a sequence would have been cut.
     */
    public static byte[] mixedText(int size) {
        byte[] bytes = repeat(MIXED_RECORD, size);
        int start = size;
        // Walk back over continuation bytes to the lead byte of the last sequence.
        while (start > 0 && (bytes[start - 1] & 0xC0) == 0x80) {
            start--;
        }
        if (start > 0 && (bytes[start - 1] & 0x80) != 0) {
            int lead = start - 1;
            int needed = sequenceLength(bytes[lead]);
            if (size - lead < needed) {
                for (int i = lead; i < size; i++) {
                    bytes[i] = ' ';
                }
            }
        }
        return bytes;
    }

    /** The share of bytes that belong to multi-byte UTF-8 sequences. */
    public static double multiByteShare(byte[] utf8) {
        int multi = 0;
        for (byte b : utf8) {
            if (b < 0) {
                multi++;
            }
        }
        return utf8.length == 0 ? 0 : (double) multi / utf8.length;
    }

    private static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    }

    /**
     * {@code size} bytes of a text corpus for compression, valid UTF-8 (ASCII), varied like real traffic (unlike
     * {@link #asciiJson}, one record repeated): {@code json}, API records with varying ids, timestamps, prices and
     * names; {@code chat}, short English sentences. The same bytes for the same name and size.
     */
    public static byte[] textCorpus(String name, int size) {
        SplittableRandom random = new SplittableRandom(size);
        StringBuilder b = new StringBuilder(size + 200);
        String[] names = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"};
        String[] words = {"the", "meeting", "moved", "to", "tomorrow", "please", "check", "your", "calendar", "and",
            "let", "me", "know", "if", "that", "works", "for", "you", "thanks", "see", "we", "should", "ship",
            "release", "today", "after", "review", "looks", "good", "I", "think"};
        if (name.equals("json")) {
            b.append('[');
            while (b.length() < size) {
                b.append("{\"id\":").append(random.nextInt(1_000_000))
                        .append(",\"ts\":").append(1_764_900_000_000L + random.nextInt(100_000_000))
                        .append(",\"user\":\"").append(names[random.nextInt(names.length)])
                        .append("\",\"side\":\"").append(random.nextBoolean() ? "buy" : "sell")
                        .append("\",\"price\":").append(random.nextInt(100_000) / 100.0)
                        .append(",\"qty\":").append(random.nextInt(1000)).append("},");
            }
        } else {
            while (b.length() < size) {
                b.append(names[random.nextInt(names.length)]).append(": ");
                int n = 4 + random.nextInt(10);
                for (int i = 0; i < n; i++) {
                    b.append(words[random.nextInt(words.length)]).append(i + 1 < n ? " " : ". ");
                }
            }
        }
        return b.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] repeat(byte[] record, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i += record.length) {
            System.arraycopy(record, 0, bytes, i, Math.min(record.length, size - i));
        }
        return bytes;
    }
}
