package dev.wsnetty.netty.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The messages of {@link SoakTest}, derived from numbers so that the sender can check every byte of what comes
 * back without keeping a copy: a connection's {@code n}th message follows from its id and {@code n} (type, size,
 * content, where it is split into frames), a slow reader's {@code i}th flood message from {@code i}.
 */
final class SoakMessages {
    /** Message sizes in bytes, as {weight, smallest, largest}: mostly small, some near the 1 MiB limit. */
    private static final int[][] SIZES = {
            {55, 0, 125}, {20, 126, 4096}, {15, 4097, 65_536}, {8, 65_537, 262_144}, {2, 262_145, 1_000_000}};
    /** Text is drawn from these: 1-, 2-, 3- and 4-byte UTF-8 sequences, so fragments split characters. */
    private static final String[] TEXT = {"a", "b", "z", "0", "9", "é", "ß", "€", "中", "😀"};

    private static final byte[][] TEXT_BYTES = Arrays.stream(TEXT)
            .map(c -> c.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);

    private SoakMessages() {
    }

    /** One message to send: its type, its bytes, and where it is cut into frames (empty: one frame). */
    static final class Plan {
        final boolean text;
        final byte[] payload;
        final int[] cuts;

        Plan(boolean text, byte[] payload, int[] cuts) {
            this.text = text;
            this.payload = payload;
            this.cuts = cuts;
        }
    }

    /** The {@code seq}th message of connection {@code connection}. */
    static Plan message(long connection, long seq) {
        SplittableRandom random = new SplittableRandom(connection * 1_000_003L + seq);
        int size = size(random);
        boolean text = random.nextBoolean();
        byte[] payload = text ? text(random, size) : binary(random, size);
        int[] cuts = new int[random.nextInt(4) == 0 ? 1 + random.nextInt(5) : 0];
        for (int i = 0; i < cuts.length; i++) {
            // Sorted, possibly equal (an empty continuation frame), anywhere in the payload (inside characters).
            int from = i == 0 ? 0 : cuts[i - 1];
            cuts[i] = from + random.nextInt(payload.length - from + 1);
        }
        return new Plan(text, payload, cuts);
    }

    /**
     * The {@code index}th binary message of {@code size} bytes a slow reader asks for: random bytes, so that
     * compressed too they fill the socket buffers until the server's write times out.
     */
    static byte[] flood(int index, int size) {
        return binary(new SplittableRandom(index), size);
    }

    private static int size(SplittableRandom random) {
        int pick = random.nextInt(100);
        for (int[] range : SIZES) {
            pick -= range[0];
            if (pick < 0) {
                return range[1] + random.nextInt(range[2] - range[1] + 1);
            }
        }
        throw new AssertionError("the weights add up to 100");
    }

    /** Lower-case letters, digits and non-ASCII only, so a message is never a server command. */
    private static byte[] text(SplittableRandom random, int size) {
        byte[] data = new byte[size + 3];
        int length = 0;
        while (length < size) {
            byte[] c = TEXT_BYTES[random.nextInt(TEXT_BYTES.length)];
            System.arraycopy(c, 0, data, length, c.length);
            length += c.length;
        }
        return Arrays.copyOf(data, length);
    }

    private static byte[] binary(SplittableRandom random, int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i += 8) {
            long word = random.nextLong();
            for (int j = i; j < Math.min(size, i + 8); j++) {
                data[j] = (byte) word;
                word >>>= 8;
            }
        }
        return data;
    }
}
